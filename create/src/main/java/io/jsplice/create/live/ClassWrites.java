package io.jsplice.create.live;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Turns planned class nodes into the class files an update ships. */
final class ClassWrites {
  private ClassWrites() {}

  /** Bytes as they are, frames copied. */
  static byte[] plain(ClassNode node) {
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }

  /**
   * A class to install (patched or new): rewritten for the installed world and marked. Frames are
   * kept as javac wrote them, unless bridges need {@code invokedynamic} in an old class file
   * version, which is then raised to Java 8 with frames computed.
   */
  static byte[] install(ClassNode node, InstalledWorld world, String updateId, boolean existing) {
    boolean framesChanged =
        ConstructorCalls.rewrite(node, world)
            || !world.dispatch.of(node.name).isEmpty()
            || world.recomputeFrames.contains(node.name);
    ClassNode rewritten = new ClassNode();
    node.accept(
        new PatchedMarker(new CodeRewriter(merged(rewritten, world), world, existing), updateId));
    if ((rewritten.version & 0xFFFF) < Opcodes.V1_5) {
      // The JVM ignores annotations in class files older than Java 5, and the Patched marker is
      // how the agent confirms a switch; Java 5's format changes nothing else for such code.
      rewritten.version = Opcodes.V1_5;
    }
    if (usesInvokeDynamic(rewritten) && (rewritten.version & 0xFFFF) < Opcodes.V1_7) {
      rewritten.version = Opcodes.V1_8;
      return computeFrames(rewritten, world);
    }
    if (framesChanged) {
      return computeFrames(rewritten, world);
    }
    return plain(rewritten);
  }

  /** A companion: bridges for private constructors, rewritten, frames computed. */
  static byte[] companion(ClassNode node, InstalledWorld world) {
    ConstructorCalls.rewrite(node, world);
    for (MethodNode method : node.methods) {
      ConstructorBridges.apply(node.name, method, world);
    }
    ClassNode rewritten = new ClassNode();
    node.accept(new CodeRewriter(merged(rewritten, world), world, false));
    return computeFrames(rewritten, world);
  }

  /** Rewrites uses of merged subclasses after the code rewriter, when there are any. */
  private static ClassVisitor merged(ClassVisitor next, InstalledWorld world) {
    return world.merged.isEmpty() ? next : new KindRemapper(next, world);
  }

  private static byte[] computeFrames(ClassNode node, InstalledWorld world) {
    DanglingLabels.check(node);
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected String getCommonSuperClass(String a, String b) {
            return world.installed.commonSuperClass(a, b);
          }
        };
    node.accept(writer);
    return writer.toByteArray();
  }

  private static boolean usesInvokeDynamic(ClassNode node) {
    for (MethodNode m : node.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof InvokeDynamicInsnNode) {
          return true;
        }
      }
    }
    return false;
  }
}
