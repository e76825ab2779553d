package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Overrides an update removes. A method the update removes that overrode an inherited one would
 * keep catching calls through the JVM's method tables with old code, so its kept body delegates to
 * the inherited method, as the fixed class would. (Overrides an update adds: {@link
 * OverridePlanner}.)
 */
final class OverrideCheck {
  private OverrideCheck() {}

  /** Rewrites kept bodies of removed overrides into calls of the inherited method. */
  static void delegateRemovedOverrides(
      ClassNode installed, SchemaComparison schema, InstalledWorld world) {
    ClassHierarchy hierarchy = world.post;
    for (MethodNode removed : schema.removedMethods.values()) {
      if (!isVirtual(removed) || (removed.access & Opcodes.ACC_ABSTRACT) != 0) {
        continue;
      }
      String key = removed.name + removed.desc;
      String overridden = inherited(installed, key, hierarchy);
      if (overridden == null
          || hierarchy.info(overridden) == null
          || (hierarchy.access(overridden, key) & Opcodes.ACC_ABSTRACT) != 0) {
        continue;
      }
      Relocations.MovedMethod moved = world.relocations.method(overridden, key);
      for (MethodNode m : installed.methods) {
        if ((m.name + m.desc).equals(key)) {
          // The inherited method may itself be one the update adds (moved up from here): it is
          // in its class's companion then, not in the running class.
          m.instructions =
              moved != null ? companionCall(moved, m) : superCall(installed.superName, m);
          m.tryCatchBlocks = new ArrayList<>();
          m.localVariables = null;
          int sizes = Type.getArgumentsAndReturnSizes(m.desc);
          m.maxLocals = sizes >> 2;
          m.maxStack = Math.max(sizes >> 2, sizes & 3);
        }
      }
    }
  }

  private static InsnList companionCall(Relocations.MovedMethod moved, MethodNode m) {
    InsnList code = new InsnList();
    code.add(new VarInsnNode(Opcodes.ALOAD, 0));
    int slot = 1;
    for (Type arg : Type.getArgumentTypes(m.desc)) {
      code.add(new VarInsnNode(arg.getOpcode(Opcodes.ILOAD), slot));
      slot += arg.getSize();
    }
    code.add(
        new MethodInsnNode(
            Opcodes.INVOKESTATIC,
            moved.companion(),
            Companions.directName(moved.name()),
            moved.descriptor(),
            false));
    code.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
    return code;
  }

  private static InsnList superCall(String superName, MethodNode m) {
    InsnList code = new InsnList();
    code.add(new VarInsnNode(Opcodes.ALOAD, 0));
    int slot = 1;
    for (Type arg : Type.getArgumentTypes(m.desc)) {
      code.add(new VarInsnNode(arg.getOpcode(Opcodes.ILOAD), slot));
      slot += arg.getSize();
    }
    code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, superName, m.name, m.desc, false));
    code.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
    return code;
  }

  private static boolean isVirtual(MethodNode m) {
    return (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0 && !m.name.startsWith("<");
  }

  /** The supertype that declares a non-private instance method with this key; or null. */
  private static String inherited(ClassNode node, String key, ClassHierarchy hierarchy) {
    List<String> supers = new ArrayList<>();
    if (node.superName != null) {
      supers.add(node.superName);
    }
    supers.addAll(node.interfaces);
    for (String s : supers) {
      String declaring = hierarchy.declaringClass(s, key);
      if (declaring != null) {
        int access = hierarchy.access(declaring, key);
        if (access >= 0 && (access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0) {
          return declaring;
        }
      }
    }
    return null;
  }
}
