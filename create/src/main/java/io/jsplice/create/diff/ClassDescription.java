package io.jsplice.create.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/** What a class is, in words, for added and removed classes: "anonymous class p.O$2 ...". */
final class ClassDescription {
  private ClassDescription() {}

  static String of(ClassNode node) {
    return kind(node) + " " + JavaSyntax.className(node.name) + where(node);
  }

  private static String kind(ClassNode node) {
    if (SyntheticNames.hasNumberedLastSegment(node.name)) {
      String local = SyntheticNames.localName(SyntheticNames.lastSegment(node.name));
      if (!local.isEmpty()) {
        return "local class";
      }
      if (node.fields.stream().anyMatch(f -> f.name.startsWith("$SwitchMap$"))) {
        return "switch-map class";
      }
      return (node.access & Opcodes.ACC_SYNTHETIC) != 0 ? "synthetic class" : "anonymous class";
    }
    int shown =
        node.access
            & ~(Opcodes.ACC_INTERFACE
                | Opcodes.ACC_ANNOTATION
                | Opcodes.ACC_ENUM
                | Opcodes.ACC_RECORD);
    if ((node.access & Opcodes.ACC_INTERFACE) != 0) {
      shown &= ~Opcodes.ACC_ABSTRACT; // every interface is abstract
    }
    String modifiers = AccessFlags.describe(shown, AccessFlags.Target.CLASS);
    String kind;
    if ((node.access & Opcodes.ACC_ANNOTATION) != 0) {
      kind = "annotation type";
    } else if ((node.access & Opcodes.ACC_INTERFACE) != 0) {
      kind = "interface";
    } else if ((node.access & Opcodes.ACC_ENUM) != 0) {
      kind = "enum";
    } else if ((node.access & Opcodes.ACC_RECORD) != 0) {
      kind = "record";
    } else {
      kind = "class";
    }
    return modifiers.isEmpty() ? kind : modifiers + " " + kind;
  }

  private static String where(ClassNode node) {
    if (node.outerClass == null || node.outerMethod == null) {
      return "";
    }
    return " (written in "
        + JavaSyntax.methodReference(node.outerClass, node.outerMethod, node.outerMethodDesc)
        + ")";
  }
}
