package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Says which static fields' initialization a changed static initializer changes, by cutting it into
 * segments that each end in a store into one of the class's static fields ({@code putstatic}).
 * javac compiles {@code static final Set<String> DENY = Set.of(...)} into such a segment, so a
 * changed segment is a changed initial value.
 *
 * <p>Best effort: code that initializes two fields at once, or a loop that fills a collection after
 * the store, shows up as "other static initialization code"; a segment is compared as text with
 * branch targets relative to its start.
 */
final class StaticInitializerSegments {
  private static final String OTHER = "";

  private StaticInitializerSegments() {}

  /**
   * @param owner the class's name, as {@code pre} and {@code post} refer to it
   * @param pre may be null (added)
   * @param post may be null (removed)
   */
  static String describe(String owner, MethodNode pre, MethodNode post) {
    if (pre == null) {
      return "static initializer added" + fields(" initializing ", segments(owner, post).keySet());
    }
    if (post == null) {
      return "static initializer removed";
    }
    Map<String, String> before = segments(owner, pre);
    Map<String, String> after = segments(owner, post);
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    after.forEach(
        (field, code) -> {
          if (field.equals(OTHER)) {
            return; // compared below
          } else if (!before.containsKey(field)) {
            added.add(field);
          } else if (!before.get(field).equals(code)) {
            changed.add(field);
          }
        });
    before.keySet().stream()
        .filter(f -> !f.equals(OTHER) && !after.containsKey(f))
        .forEach(removed::add);
    List<String> parts = new ArrayList<>();
    if (!changed.isEmpty()) {
      parts.add("initialization of " + list(changed) + " changed");
    }
    if (!added.isEmpty()) {
      parts.add(list(added) + " now initialized here");
    }
    if (!removed.isEmpty()) {
      parts.add(list(removed) + " no longer initialized here");
    }
    if (!Objects.equals(before.get(OTHER), after.get(OTHER))) {
      parts.add("other static initialization code changed");
    }
    return parts.isEmpty()
        ? "static initializer changed"
        : "static initializer changed: " + String.join("; ", parts);
  }

  /**
   * Code per static field of {@code owner} (in order of first store; a field stored twice gets both
   * segments), and the code after the last store under {@link #OTHER}.
   */
  private static Map<String, String> segments(String owner, MethodNode method) {
    NormalizedCode code = NormalizedCode.of(method);
    Map<String, String> segments = new LinkedHashMap<>();
    StringBuilder segment = new StringBuilder();
    int start = 0;
    for (int i = 0; i < code.size(); i++) {
      segment.append(code.line(i, start)).append('\n');
      if (NormalizedCode.isPutStatic(code.instruction(i), owner)) {
        String field = ((FieldInsnNode) code.instruction(i)).name;
        segments.merge(field, segment.toString(), String::concat);
        segment.setLength(0);
        start = i + 1;
      }
    }
    segments.put(OTHER, segment.toString());
    return segments;
  }

  private static String fields(String prefix, Set<String> fields) {
    List<String> named = fields.stream().filter(f -> !f.equals(OTHER)).toList();
    return named.isEmpty() ? "" : prefix + list(named);
  }

  /** {@code A}, {@code A and B}, {@code A, B and C}; past eight names the rest are counted. */
  private static String list(List<String> fields) {
    if (fields.size() > 8) {
      return String.join(", ", fields.subList(0, 8)) + " and " + (fields.size() - 8) + " more";
    }
    if (fields.size() <= 1) {
      return String.join("", fields);
    }
    return String.join(", ", fields.subList(0, fields.size() - 1))
        + " and "
        + fields.get(fields.size() - 1);
  }
}
