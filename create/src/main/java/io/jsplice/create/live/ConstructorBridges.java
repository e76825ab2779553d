package io.jsplice.create.live;

import java.lang.invoke.MethodHandleInfo;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * In code moved out of a class's nest, {@code new Foo(args)} with a private constructor of {@code
 * Foo} (a singleton's, typically) becomes an {@code invokedynamic} that constructs through {@link
 * io.jsplice.bootstrap.Linker#access}: the {@code new}/{@code dup} pair goes, the call returns the
 * object. Frames are recomputed afterwards, so the stack change is fine.
 */
final class ConstructorBridges {
  private ConstructorBridges() {}

  static void apply(String self, MethodNode method, InstalledWorld world) {
    if (method.instructions.size() == 0) {
      return;
    }
    Frame<SourceValue>[] frames;
    int maxStack = method.maxStack;
    int maxLocals = method.maxLocals;
    // Generated code carries no maxima yet (the writer computes them); the analyzer needs room.
    method.maxStack = Math.max(maxStack, 1024);
    method.maxLocals = Math.max(maxLocals, Math.max(256, maxLocals));
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(self, method);
    } catch (AnalyzerException e) {
      return; // leave the code alone; the JVM's verifier will name any problem
    } finally {
      method.maxStack = maxStack;
      method.maxLocals = maxLocals;
    }
    // Find every site first: the analysis's frames are indexed by the code as it is now.
    AbstractInsnNode[] insns = method.instructions.toArray();
    java.util.List<AbstractInsnNode[]> sites = new java.util.ArrayList<>();
    for (int i = 0; i < insns.length; i++) {
      if (!(insns[i] instanceof MethodInsnNode call)
          || call.getOpcode() != Opcodes.INVOKESPECIAL
          || !call.name.equals("<init>")
          || frames[i] == null) {
        continue;
      }
      String key = call.name + call.desc;
      int access = world.installed.access(call.owner, key);
      if (access < 0 || (access & Opcodes.ACC_PRIVATE) == 0 || world.sameNest(self, call.owner)) {
        continue;
      }
      int args = Type.getArgumentTypes(call.desc).length;
      Frame<SourceValue> frame = frames[i];
      SourceValue receiver = frame.getStack(frame.getStackSize() - args - 1);
      if (receiver.insns.size() != 1
          || !(receiver.insns.iterator().next() instanceof InsnNode dup)
          || dup.getOpcode() != Opcodes.DUP) {
        continue;
      }
      int dupIndex = method.instructions.indexOf(dup);
      SourceValue duplicated = frames[dupIndex].getStack(frames[dupIndex].getStackSize() - 1);
      if (duplicated.insns.size() != 1
          || !(duplicated.insns.iterator().next() instanceof TypeInsnNode created)
          || created.getOpcode() != Opcodes.NEW) {
        continue;
      }
      sites.add(new AbstractInsnNode[] {call, dup, created});
    }
    for (AbstractInsnNode[] site : sites) {
      MethodInsnNode call = (MethodInsnNode) site[0];
      String siteType =
          Type.getMethodDescriptor(
              Type.getObjectType(call.owner), Type.getArgumentTypes(call.desc));
      method.instructions.set(
          call,
          new InvokeDynamicInsnNode(
              "new",
              siteType,
              CodeRewriter.ACCESS_BRIDGE,
              MethodHandleInfo.REF_newInvokeSpecial,
              Type.getObjectType(call.owner),
              Type.getObjectType(call.owner)));
      method.instructions.remove(site[1]);
      method.instructions.remove(site[2]);
    }
  }
}
