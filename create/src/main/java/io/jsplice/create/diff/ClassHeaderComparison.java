package io.jsplice.create.diff;

import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.RecordComponentNode;

/** The class-level differences of one class: everything but its fields and methods. */
final class ClassHeaderComparison {
  private ClassHeaderComparison() {}

  /**
   * @param pre the pre class
   * @param post the post class under the pre names ({@link Renames#remap})
   */
  static void compare(ClassNode pre, ClassNode post, List<Change> out) {
    if (pre.version != post.version) {
      out.add(
          Change.ofClass(ChangeKind.CLASS_VERSION_CHANGED, version(pre) + " -> " + version(post)));
    }
    String access =
        AccessFlags.change(
            pre.access & ~CanonicalForm.IGNORED_CLASS_ACCESS,
            post.access & ~CanonicalForm.IGNORED_CLASS_ACCESS,
            AccessFlags.Target.CLASS);
    if (!access.isEmpty()) {
      out.add(Change.ofClass(ChangeKind.CLASS_ACCESS_CHANGED, access));
    }
    if (!Objects.equals(pre.superName, post.superName)) {
      out.add(
          Change.ofClass(
              ChangeKind.SUPERCLASS_CHANGED, name(pre.superName) + " -> " + name(post.superName)));
    }
    String interfaces = listChange(pre.interfaces, post.interfaces, "interface");
    if (!interfaces.isEmpty()) {
      out.add(Change.ofClass(ChangeKind.INTERFACES_CHANGED, interfaces));
    }
    compareNest(pre, post, out);
    String annotations =
        AnnotationChanges.describe(pre.visibleAnnotations, post.visibleAnnotations);
    if (!annotations.isEmpty()) {
      out.add(Change.ofClass(ChangeKind.ANNOTATIONS_CHANGED, "class annotations: " + annotations));
    }
    compareRecord(pre, post, out);
    compareEnumConstants(pre, post, out);
    compareMetadata(pre, post, out);
  }

  private static void compareNest(ClassNode pre, ClassNode post, List<Change> out) {
    List<String> parts = new ArrayList<>();
    if (!Objects.equals(pre.nestHostClass, post.nestHostClass)) {
      parts.add("nest host " + name(pre.nestHostClass) + " -> " + name(post.nestHostClass));
    }
    String members = listChange(pre.nestMembers, post.nestMembers, "nest member");
    if (!members.isEmpty()) {
      parts.add(members);
    }
    String permitted =
        listChange(pre.permittedSubclasses, post.permittedSubclasses, "permitted subclass");
    if (!permitted.isEmpty()) {
      parts.add(permitted);
    }
    if (!parts.isEmpty()) {
      out.add(Change.ofClass(ChangeKind.NEST_CHANGED, String.join("; ", parts)));
    }
  }

  private static void compareRecord(ClassNode pre, ClassNode post, List<Change> out) {
    List<String> before = components(pre.recordComponents);
    List<String> after = components(post.recordComponents);
    if (!before.equals(after)) {
      out.add(
          Change.ofClass(
              ChangeKind.RECORD_COMPONENTS_CHANGED,
              "(" + String.join(", ", before) + ") -> (" + String.join(", ", after) + ")"));
      return;
    }
    if (pre.recordComponents != null) {
      for (int i = 0; i < pre.recordComponents.size(); i++) {
        RecordComponentNode old = pre.recordComponents.get(i);
        String annotations =
            AnnotationChanges.describe(
                old.visibleAnnotations, post.recordComponents.get(i).visibleAnnotations);
        if (!annotations.isEmpty()) {
          out.add(
              Change.ofClass(
                  ChangeKind.ANNOTATIONS_CHANGED,
                  "record component " + old.name + ": " + annotations));
        }
      }
    }
  }

  /** Components as declared, with generic signatures when present. */
  private static List<String> components(List<RecordComponentNode> components) {
    List<String> out = new ArrayList<>();
    if (components != null) {
      for (RecordComponentNode c : components) {
        String type = JavaSyntax.type(c.descriptor);
        out.add(type + " " + c.name + (c.signature == null ? "" : " /* " + c.signature + " */"));
      }
    }
    return out;
  }

  private static void compareEnumConstants(ClassNode pre, ClassNode post, List<Change> out) {
    List<String> before = enumConstants(pre);
    List<String> after = enumConstants(post);
    if (before.equals(after)) {
      return;
    }
    List<String> parts = new ArrayList<>();
    List<String> added = after.stream().filter(c -> !before.contains(c)).toList();
    List<String> removed = before.stream().filter(c -> !after.contains(c)).toList();
    if (!added.isEmpty()) {
      parts.add("added " + String.join(", ", added));
    }
    if (!removed.isEmpty()) {
      parts.add("removed " + String.join(", ", removed));
    }
    List<String> keptBefore = before.stream().filter(after::contains).toList();
    List<String> keptAfter = after.stream().filter(before::contains).toList();
    if (!keptBefore.equals(keptAfter)) {
      parts.add("reordered");
    }
    if (keptBefore.stream().anyMatch(c -> before.indexOf(c) != after.indexOf(c))) {
      // Switch maps and persisted ordinals built by the old code no longer line up.
      parts.add("ordinals of existing constants shift");
    }
    out.add(Change.ofClass(ChangeKind.ENUM_CONSTANTS_CHANGED, String.join("; ", parts)));
  }

  /** The enum constants in declaration order (the order of their fields). */
  private static List<String> enumConstants(ClassNode node) {
    List<String> constants = new ArrayList<>();
    for (FieldNode field : node.fields) {
      if ((field.access & Opcodes.ACC_ENUM) != 0) {
        constants.add(field.name);
      }
    }
    return constants;
  }

  private static void compareMetadata(ClassNode pre, ClassNode post, List<Change> out) {
    List<String> parts = new ArrayList<>();
    if (!Objects.equals(pre.signature, post.signature)) {
      parts.add("generic signature " + pre.signature + " -> " + post.signature);
    }
    if (!Objects.equals(pre.outerClass, post.outerClass)
        || !Objects.equals(pre.outerMethod, post.outerMethod)
        || !Objects.equals(pre.outerMethodDesc, post.outerMethodDesc)) {
      parts.add("enclosing method " + enclosing(pre) + " -> " + enclosing(post));
    }
    if (!CanonicalForm.innerClasses(pre).equals(CanonicalForm.innerClasses(post))) {
      parts.add("inner-class table changed: " + innerClassChanges(pre, post));
    }
    if (!parts.isEmpty()) {
      out.add(Change.ofClass(ChangeKind.METADATA_CHANGED, String.join("; ", parts)));
    }
  }

  /** e.g. {@code lists p.O$2; entry for p.O$Inner: final added}. */
  private static String innerClassChanges(ClassNode pre, ClassNode post) {
    Map<String, InnerClassNode> before = innerClasses(pre);
    Map<String, InnerClassNode> after = innerClasses(post);
    List<String> listed = new ArrayList<>();
    List<String> unlisted = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    after.forEach(
        (name, now) -> {
          InnerClassNode old = before.get(name);
          if (old == null) {
            listed.add(JavaSyntax.className(name));
          } else if (old.access != now.access) {
            changed.add(
                "entry for "
                    + JavaSyntax.className(name)
                    + ": "
                    + AccessFlags.change(old.access, now.access, AccessFlags.Target.INNER_CLASS));
          } else if (!Objects.equals(old.outerName, now.outerName)
              || !Objects.equals(old.innerName, now.innerName)) {
            changed.add("entry for " + JavaSyntax.className(name) + ": declaring class changed");
          }
        });
    before.keySet().stream()
        .filter(name -> !after.containsKey(name))
        .forEach(name -> unlisted.add(JavaSyntax.className(name)));
    List<String> parts = new ArrayList<>();
    if (!listed.isEmpty()) {
      parts.add("lists " + String.join(", ", listed));
    }
    if (!unlisted.isEmpty()) {
      parts.add("no longer lists " + String.join(", ", unlisted));
    }
    parts.addAll(changed);
    return parts.isEmpty() ? "entries repeated differently" : String.join("; ", parts);
  }

  private static Map<String, InnerClassNode> innerClasses(ClassNode node) {
    Map<String, InnerClassNode> entries = new TreeMap<>();
    node.innerClasses.forEach(inner -> entries.putIfAbsent(inner.name, inner));
    return entries;
  }

  private static String enclosing(ClassNode node) {
    if (node.outerClass == null) {
      return "none";
    }
    return node.outerMethod == null
        ? name(node.outerClass)
        : JavaSyntax.methodReference(node.outerClass, node.outerMethod, node.outerMethodDesc);
  }

  /**
   * e.g. {@code interface java.io.Serializable added; interface p.Old removed}, or {@code order
   * changed}; empty when equal. Either list may be null.
   */
  private static String listChange(List<String> before, List<String> after, String what) {
    List<String> old = before == null ? List.of() : before;
    List<String> now = after == null ? List.of() : after;
    if (old.equals(now)) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    now.stream()
        .filter(n -> !old.contains(n))
        .forEach(n -> parts.add(what + " " + name(n) + " added"));
    old.stream()
        .filter(n -> !now.contains(n))
        .forEach(n -> parts.add(what + " " + name(n) + " removed"));
    if (parts.isEmpty()) {
      parts.add(what + " order changed");
    }
    return String.join("; ", parts);
  }

  private static String name(String internalName) {
    return internalName == null ? "none" : JavaSyntax.className(internalName);
  }

  /** {@code 61.0 (Java 17)}. */
  private static String version(ClassNode node) {
    int major = node.version & 0xFFFF;
    int minor = node.version >>> 16;
    String java = major >= 49 ? "Java " + (major - 44) : "Java 1." + Math.max(0, major - 44);
    return major + "." + minor + " (" + java + ")";
  }
}
