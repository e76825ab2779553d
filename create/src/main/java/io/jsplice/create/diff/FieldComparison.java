package io.jsplice.create.diff;

import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldNode;

/** The differences between the fields of one class, paired by name and descriptor. */
final class FieldComparison {
  private FieldComparison() {}

  /**
   * @param constants receives each changed compile-time constant, for {@link ConstantInlining}
   */
  static void compare(ClassPair pair, List<Change> out, List<ConstantChange> constants) {
    Map<String, FieldNode> before = new LinkedHashMap<>();
    pair.pre().fields.forEach(f -> before.put(key(f), f));
    Map<String, Integer> after = new LinkedHashMap<>();
    for (int i = 0; i < pair.remapped().fields.size(); i++) {
      after.put(key(pair.remapped().fields.get(i)), i);
    }
    List<FieldNode> removed = new ArrayList<>();
    for (FieldNode old : pair.pre().fields) {
      Integer index = after.remove(key(old));
      if (index == null) {
        removed.add(old);
      } else {
        compare(pair.pre().name, old, pair.remapped().fields.get(index), out, constants);
      }
    }
    List<Integer> added = new ArrayList<>(after.values());
    for (FieldNode old : List.copyOf(removed)) {
      List<Integer> sameName =
          added.stream().filter(i -> pair.remapped().fields.get(i).name.equals(old.name)).toList();
      if (sameName.size() == 1) {
        FieldNode now = pair.remapped().fields.get(sameName.get(0));
        out.add(
            new Change(
                ChangeKind.FIELD_TYPE_CHANGED,
                key(old),
                old.name + ": " + JavaSyntax.type(old.desc) + " -> " + JavaSyntax.type(now.desc)));
        String access = AccessFlags.change(old.access, now.access, AccessFlags.Target.FIELD);
        if (!access.isEmpty()) {
          out.add(new Change(ChangeKind.FIELD_ACCESS_CHANGED, key(old), access));
        }
        removed.remove(old);
        added.remove(sameName.get(0));
      }
    }
    for (FieldNode old : removed) {
      out.add(new Change(ChangeKind.FIELD_REMOVED, key(old), declaration(old) + " removed"));
    }
    for (int index : added) {
      FieldNode now = pair.post().fields.get(index);
      out.add(new Change(ChangeKind.FIELD_ADDED, key(now), "new " + declaration(now)));
    }
  }

  private static void compare(
      String owner,
      FieldNode old,
      FieldNode now,
      List<Change> out,
      List<ConstantChange> constants) {
    String key = key(old);
    String access = AccessFlags.change(old.access, now.access, AccessFlags.Target.FIELD);
    if (!access.isEmpty()) {
      out.add(new Change(ChangeKind.FIELD_ACCESS_CHANGED, key, access));
    }
    if (!CanonicalForm.constant(old.value).equals(CanonicalForm.constant(now.value))) {
      String detail;
      if (old.value == null) {
        detail = "now a compile-time constant (" + JavaSyntax.literal(now.value, now.desc) + ")";
      } else if (now.value == null) {
        detail = JavaSyntax.literal(old.value, old.desc) + " -> no longer a compile-time constant";
      } else {
        detail =
            JavaSyntax.literal(old.value, old.desc)
                + " -> "
                + JavaSyntax.literal(now.value, now.desc);
      }
      Change change = new Change(ChangeKind.CONSTANT_VALUE_CHANGED, key, detail);
      out.add(change);
      if (old.value != null) {
        constants.add(new ConstantChange(owner, change, old.value, now.value));
      }
    }
    String annotations = AnnotationChanges.describe(old.visibleAnnotations, now.visibleAnnotations);
    if (!annotations.isEmpty()) {
      out.add(new Change(ChangeKind.ANNOTATIONS_CHANGED, key, annotations));
    }
    if (!Objects.equals(old.signature, now.signature)) {
      out.add(
          new Change(
              ChangeKind.METADATA_CHANGED,
              key,
              "generic signature " + old.signature + " -> " + now.signature));
    }
  }

  /** e.g. {@code private static final int LIMIT, a compile-time constant (1000)}. */
  private static String declaration(FieldNode field) {
    if ((field.access & Opcodes.ACC_ENUM) != 0) {
      return "enum constant " + field.name;
    }
    String modifiers = AccessFlags.describe(field.access, AccessFlags.Target.FIELD);
    String declaration =
        (modifiers.isEmpty() ? "" : modifiers + " ")
            + JavaSyntax.type(field.desc)
            + " "
            + field.name;
    if (field.value != null) {
      declaration +=
          ", a compile-time constant (" + JavaSyntax.literal(field.value, field.desc) + ")";
    }
    return declaration;
  }

  static String key(FieldNode field) {
    return field.name + ":" + field.desc;
  }
}
