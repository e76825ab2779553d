package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.tree.AnnotationNode;

/** How two lists of runtime-visible annotations differ, in words. */
final class AnnotationChanges {
  private AnnotationChanges() {}

  /**
   * e.g. {@code added @p.Audited; changed @p.Limit}; empty when equal. Either list may be null (no
   * annotations).
   */
  static String describe(List<AnnotationNode> before, List<AnnotationNode> after) {
    Map<String, String> old = byType(before);
    Map<String, String> now = byType(after);
    List<String> parts = new ArrayList<>();
    now.forEach(
        (type, text) -> {
          if (!old.containsKey(type)) {
            parts.add("added @" + JavaSyntax.type(type));
          } else if (!Objects.equals(old.get(type), text)) {
            parts.add("changed @" + JavaSyntax.type(type));
          }
        });
    old.keySet().stream()
        .filter(type -> !now.containsKey(type))
        .forEach(type -> parts.add("removed @" + JavaSyntax.type(type)));
    if (parts.isEmpty() && !List.copyOf(old.keySet()).equals(List.copyOf(now.keySet()))) {
      parts.add("order changed");
    }
    return String.join("; ", parts);
  }

  /** Annotation texts by descriptor; repeated descriptors are joined. */
  private static Map<String, String> byType(List<AnnotationNode> annotations) {
    Map<String, String> texts = new LinkedHashMap<>();
    if (annotations != null) {
      for (AnnotationNode annotation : annotations) {
        texts.merge(annotation.desc, CanonicalForm.annotation(annotation), (a, b) -> a + b);
      }
    }
    return texts;
  }
}
