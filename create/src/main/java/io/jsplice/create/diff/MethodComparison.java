package io.jsplice.create.diff;

import io.jsplice.create.diff.InitOnlyReachability.Roots;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * The differences between the methods of one class, paired by name and descriptor; a method removed
 * and another added under the same name count as one re-signed method.
 */
final class MethodComparison {
  private MethodComparison() {}

  /**
   * @param initOnly the init-only methods of the remapped post class; computed only when a private
   *     method's code changed
   */
  static void compare(ClassPair pair, Supplier<Map<String, Roots>> initOnly, List<Change> out) {
    String owner = pair.pre().name;
    Map<String, Integer> after = new LinkedHashMap<>();
    for (int i = 0; i < pair.remapped().methods.size(); i++) {
      MethodNode method = pair.remapped().methods.get(i);
      after.put(method.name + method.desc, i);
    }
    List<MethodNode> removed = new ArrayList<>();
    for (MethodNode old : pair.pre().methods) {
      Integer index = after.remove(old.name + old.desc);
      if (index == null) {
        removed.add(old);
      } else {
        compare(owner, old, pair.remapped().methods.get(index), initOnly, out);
      }
    }
    List<Integer> added = new ArrayList<>(after.values());
    for (MethodNode old : List.copyOf(removed)) {
      if (!isResignable(old)) {
        continue;
      }
      List<Integer> sameName =
          added.stream().filter(i -> pair.remapped().methods.get(i).name.equals(old.name)).toList();
      long removedWithName = removed.stream().filter(m -> m.name.equals(old.name)).count();
      if (sameName.size() == 1 && removedWithName == 1) {
        MethodNode now = pair.remapped().methods.get(sameName.get(0));
        if (isResignable(now)) {
          out.add(
              new Change(
                  ChangeKind.METHOD_SIGNATURE_CHANGED,
                  old.name + old.desc,
                  JavaSyntax.method(owner, old.name, old.desc)
                      + " -> "
                      + JavaSyntax.method(owner, now.name, now.desc)));
          removed.remove(old);
          added.remove(sameName.get(0));
        }
      }
    }
    for (MethodNode old : removed) {
      out.add(
          old.name.equals("<clinit>")
              ? new Change(
                  ChangeKind.STATIC_INITIALIZER_CHANGED,
                  old.name + old.desc,
                  StaticInitializerSegments.describe(owner, old, null))
              : new Change(
                  ChangeKind.METHOD_REMOVED,
                  old.name + old.desc,
                  describe(owner, old) + " removed"));
    }
    for (int index : added) {
      MethodNode now = pair.post().methods.get(index);
      out.add(
          now.name.equals("<clinit>")
              ? new Change(
                  ChangeKind.STATIC_INITIALIZER_CHANGED,
                  now.name + now.desc,
                  StaticInitializerSegments.describe(
                      owner, null, pair.remapped().methods.get(index)))
              : new Change(
                  ChangeKind.METHOD_ADDED,
                  now.name + now.desc,
                  "new " + describe(pair.post().name, now)));
    }
  }

  /** Synthetic methods and static initializers are never taken for re-signed methods. */
  private static boolean isResignable(MethodNode method) {
    return (method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0
        && !method.name.equals("<clinit>");
  }

  private static void compare(
      String owner,
      MethodNode old,
      MethodNode now,
      Supplier<Map<String, Roots>> initOnly,
      List<Change> out) {
    String key = old.name + old.desc;
    String access = AccessFlags.change(old.access, now.access, AccessFlags.Target.METHOD);
    if (!access.isEmpty()) {
      out.add(new Change(ChangeKind.METHOD_ACCESS_CHANGED, key, access));
    }
    NormalizedCode before = NormalizedCode.of(old);
    NormalizedCode after = NormalizedCode.of(now);
    if (!before.text().equals(after.text())) {
      out.add(codeChange(owner, old, now, before.size(), after.size(), initOnly));
    }
    String annotations = CanonicalForm.annotations(old);
    if (!annotations.equals(CanonicalForm.annotations(now))) {
      String detail = AnnotationChanges.describe(old.visibleAnnotations, now.visibleAnnotations);
      out.add(
          new Change(
              ChangeKind.ANNOTATIONS_CHANGED,
              key,
              detail.isEmpty() ? "parameter annotations or annotation default changed" : detail));
    }
    String metadata = metadataChange(old, now);
    if (!metadata.isEmpty()) {
      out.add(new Change(ChangeKind.METADATA_CHANGED, key, metadata));
    }
  }

  /** e.g. {@code throws clause: nothing -> java.io.IOException}; empty when equal. */
  private static String metadataChange(MethodNode old, MethodNode now) {
    List<String> parts = new ArrayList<>();
    if (!Objects.equals(old.signature, now.signature)) {
      parts.add("generic signature " + old.signature + " -> " + now.signature);
    }
    if (!old.exceptions.equals(now.exceptions)) {
      parts.add("throws clause: " + exceptions(old) + " -> " + exceptions(now));
    }
    return String.join("; ", parts);
  }

  private static String exceptions(MethodNode method) {
    return method.exceptions.isEmpty()
        ? "nothing"
        : String.join(", ", method.exceptions.stream().map(JavaSyntax::className).toList());
  }

  private static Change codeChange(
      String owner,
      MethodNode old,
      MethodNode now,
      int sizeBefore,
      int sizeAfter,
      Supplier<Map<String, Roots>> initOnly) {
    String key = old.name + old.desc;
    String method = JavaSyntax.method(owner, old.name, old.desc);
    if (old.name.equals("<clinit>")) {
      return new Change(
          ChangeKind.STATIC_INITIALIZER_CHANGED,
          key,
          StaticInitializerSegments.describe(owner, old, now));
    }
    if (old.name.equals("<init>")) {
      return new Change(
          ChangeKind.INIT_ONLY_CODE_CHANGED,
          key,
          "constructor "
              + method
              + " changed; objects built before the update keep what the old"
              + " code did");
    }
    Roots roots =
        (now.access & Opcodes.ACC_PRIVATE) != 0 && !isEnumValuesBuilder(owner, now)
            ? initOnly.get().get(key)
            : null;
    if (roots != null) {
      String from =
          switch (roots) {
            case CONSTRUCTORS -> "constructors";
            case STATIC_INITIALIZER -> "the static initializer";
            case BOTH -> "constructors and the static initializer";
          };
      return new Change(
          ChangeKind.INIT_ONLY_CODE_CHANGED,
          key,
          "private method "
              + method
              + " changed; it runs only from "
              + from
              + ", so state built before the update keeps what the old code did");
    }
    String what = SyntheticNames.isLambda(old.name) ? "lambda body " + lambda(old.name) : method;
    return new Change(
        ChangeKind.METHOD_BODY_CHANGED,
        key,
        "code of " + what + " changed (" + sizeBefore + " -> " + sizeAfter + " instructions)");
  }

  /**
   * javac's {@code $values()}, which builds an enum's {@code $VALUES} for its static initializer
   * only. An enum's constants and {@code $VALUES} are kept as the running JVM has them (constants
   * an update adds live beside them), so a change to it is no state built before the update:
   * nothing runs it again.
   */
  private static boolean isEnumValuesBuilder(String owner, MethodNode method) {
    return method.name.equals("$values")
        && (method.access & (Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC))
            == (Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC)
        && method.desc.equals("()[L" + owner.replace('.', '/') + ";");
  }

  /** e.g. {@code public static boolean check(String)}, {@code lambda body lambda$run$0 ...}. */
  private static String describe(String owner, MethodNode method) {
    if (SyntheticNames.isLambda(method.name)) {
      return "lambda body " + lambda(method.name);
    }
    if (SyntheticNames.isAccessor(method.name)) {
      return "synthetic accessor " + method.name + method.desc;
    }
    String declared = JavaSyntax.method(owner, method.name, method.desc);
    if ((method.access & Opcodes.ACC_BRIDGE) != 0) {
      return "bridge method " + declared;
    }
    if (method.name.equals("<init>")) {
      return "constructor " + declared;
    }
    String modifiers = AccessFlags.describe(method.access, AccessFlags.Target.METHOD);
    return (modifiers.isEmpty() ? "" : modifiers + " ") + "method " + declared;
  }

  /** {@code lambda$run$1 (written in run())}. */
  private static String lambda(String name) {
    String enclosing = SyntheticNames.lambdaEnclosingMethod(name);
    if (enclosing == null) {
      return Renames.display(name);
    }
    String where =
        switch (enclosing) {
          case "new" -> "a constructor";
          case "static" -> "the static initializer";
          default -> enclosing + "()";
        };
    return Renames.display(name) + " (written in " + where + ")";
  }
}
