package io.jsplice.create.diff;

import io.jsplice.create.source.ClassSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The comparison of two versions of a set of classes.
 *
 * @param pre the vulnerable code
 * @param post the fixed code
 * @param classes every class that differs (modified, added, removed), ordered by {@link
 *     ClassDiff#name()}; classes identical up to normalization are left out, renamed-but-identical
 *     ones included with a single {@link io.jsplice.model.ChangeKind#SYNTHETIC_RENAMED} change. An
 *     added class may carry the name of a class the running JVM knows (javac gave a new anonymous
 *     class the number a renumbered one had); the known class then comes first, so {@link
 *     #find(String)} returns it.
 * @param renamedClasses in post-name order, post internal name to pre internal name for classes
 *     paired under a different name: renumbered anonymous, local and synthetic classes matched by
 *     content, and classes nested in them
 */
public record ClassSetDiff(
    ClassSet pre, ClassSet post, List<ClassDiff> classes, Map<String, String> renamedClasses) {

  public ClassSetDiff {
    classes = List.copyOf(classes);
    // Sorted, so that reports list renames in the same order on every run (Map.copyOf does not).
    renamedClasses = Collections.unmodifiableMap(new TreeMap<>(renamedClasses));
  }

  /** The first class whose {@link ClassDiff#name()} is {@code internalName}. */
  public Optional<ClassDiff> find(String internalName) {
    return classes.stream().filter(c -> c.name().equals(internalName)).findFirst();
  }
}
