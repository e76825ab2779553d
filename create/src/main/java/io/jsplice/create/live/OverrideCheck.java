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
 * Virtual dispatch across an update. Callers reach a method through the JVM's method tables, which
 * a stock JVM cannot extend for a loaded class: a method an update adds that overrides an inherited
 * one would never be called by existing code, so it is refused. A method the update removes that
 * overrode an inherited one would keep catching those calls with old code, so its kept body
 * delegates to the inherited method, as the fixed class would.
 */
final class OverrideCheck {
  private OverrideCheck() {}

  /**
   * @param hierarchy the fixed release, to find the supertype that declares a method
   * @param installed the running JVM once installed: a supertype method that the update itself adds
   *     is not in any method table, and the companions dispatch calls to it
   */
  static List<String> refusals(
      ClassNode post, SchemaComparison schema, ClassHierarchy hierarchy, ClassHierarchy installed) {
    List<String> out = new ArrayList<>();
    for (MethodNode m : schema.addedMethods.values()) {
      if (!isVirtual(m)) {
        continue;
      }
      String overridden = inherited(post, m.name + m.desc, hierarchy);
      if (overridden != null && installed.access(overridden, m.name + m.desc) < 0) {
        continue; // the update adds the overridden method too; dispatch lives in its companion
      }
      if (overridden != null) {
        out.add(
            post.name.replace('/', '.')
                + " adds "
                + m.name
                + m.desc
                + ", which overrides "
                + overridden.replace('/', '.')
                + "."
                + m.name
                + "; calls through the JVM's method tables cannot reach an override added live");
      }
    }
    return out;
  }

  /** Rewrites kept bodies of removed overrides into calls of the inherited method. */
  static void delegateRemovedOverrides(
      ClassNode installed, SchemaComparison schema, ClassHierarchy hierarchy) {
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
      for (MethodNode m : installed.methods) {
        if ((m.name + m.desc).equals(key)) {
          m.instructions = superCall(installed.superName, m);
          m.tryCatchBlocks = new ArrayList<>();
          m.localVariables = null;
          int sizes = Type.getArgumentsAndReturnSizes(m.desc);
          m.maxLocals = sizes >> 2;
          m.maxStack = Math.max(sizes >> 2, sizes & 3);
        }
      }
    }
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
