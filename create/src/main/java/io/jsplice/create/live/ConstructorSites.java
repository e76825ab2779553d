package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The constructor calls in a method, each with how its object came to be: {@code new X; dup; args;
 * invokespecial X.<init>} (a <em>new site</em>), or a constructor's own {@code super(...)} or
 * {@code this(...)} call on the object under construction. Code of other shapes (the {@code new}
 * not duplicated, or the receiver reaching the call by several paths) counts as neither.
 */
final class ConstructorSites {
  private ConstructorSites() {}

  enum Kind {
    NEW,
    SUPER_OR_THIS,
    OTHER
  }

  /**
   * One constructor call.
   *
   * @param created the {@code new} instruction of a new site; null otherwise
   * @param duplicated the {@code dup} of a new site; null otherwise
   */
  record Site(MethodInsnNode call, Kind kind, TypeInsnNode created, InsnNode duplicated) {}

  /** Whether {@code method} calls the constructor {@code owner.<init>desc} (desc null: any). */
  static boolean calls(MethodNode method, String owner, String desc) {
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")
          && m.owner.equals(owner)
          && (desc == null || m.desc.equals(desc))) {
        return true;
      }
    }
    return false;
  }

  /** The constructor calls of {@code method} in {@code owner}, in code order; empty if none. */
  static List<Site> of(String owner, MethodNode method) {
    List<Site> out = new ArrayList<>();
    boolean any = false;
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        any = true;
        break;
      }
    }
    if (!any) {
      return out;
    }
    Frame<SourceValue>[] frames = frames(owner, method);
    AbstractInsnNode[] insns = method.instructions.toArray();
    for (int i = 0; i < insns.length; i++) {
      if (!(insns[i] instanceof MethodInsnNode call)
          || call.getOpcode() != Opcodes.INVOKESPECIAL
          || !call.name.equals("<init>")) {
        continue;
      }
      if (frames == null || frames[i] == null) {
        out.add(new Site(call, Kind.OTHER, null, null));
        continue;
      }
      Frame<SourceValue> frame = frames[i];
      int args = Type.getArgumentTypes(call.desc).length;
      SourceValue receiver = frame.getStack(frame.getStackSize() - args - 1);
      out.add(classify(call, receiver, frames, method));
    }
    return out;
  }

  private static Site classify(
      MethodInsnNode call, SourceValue receiver, Frame<SourceValue>[] frames, MethodNode method) {
    if (receiver.insns.size() != 1) {
      return new Site(call, Kind.OTHER, null, null);
    }
    AbstractInsnNode source = receiver.insns.iterator().next();
    if (source instanceof VarInsnNode v
        && v.getOpcode() == Opcodes.ALOAD
        && v.var == 0
        && method.name.equals("<init>")) {
      return new Site(call, Kind.SUPER_OR_THIS, null, null);
    }
    if (source instanceof InsnNode dup && dup.getOpcode() == Opcodes.DUP) {
      Frame<SourceValue> atDup = frames[method.instructions.indexOf(dup)];
      if (atDup != null) {
        SourceValue duplicated = atDup.getStack(atDup.getStackSize() - 1);
        if (duplicated.insns.size() == 1
            && duplicated.insns.iterator().next() instanceof TypeInsnNode created
            && created.getOpcode() == Opcodes.NEW
            && created.desc.equals(call.owner)) {
          return new Site(call, Kind.NEW, created, dup);
        }
      }
    }
    return new Site(call, Kind.OTHER, null, null);
  }

  /** The analyzer's frames, or null when the code cannot be analyzed. */
  @SuppressWarnings("unchecked")
  static Frame<SourceValue>[] frames(String owner, MethodNode method) {
    int maxStack = method.maxStack;
    int maxLocals = method.maxLocals;
    // Generated code may carry no maxima yet (the writer computes them); the analyzer needs room.
    method.maxStack = Math.max(maxStack, 1024);
    method.maxLocals = Math.max(maxLocals, 256);
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
    } catch (AnalyzerException e) {
      return null;
    } finally {
      method.maxStack = maxStack;
      method.maxLocals = maxLocals;
    }
  }
}
