package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Finds the initializer of an instance field an update adds, so that objects built before the
 * update get the value their constructor would have given them instead of the JVM's default (a
 * limit of -1 "unlimited" must not read as 0 "nothing allowed").
 *
 * <p>javac copies a field initializer ({@code private long max = -1;}) into every constructor that
 * calls {@code super(...)}, right after that call, as {@code aload_0; <expression>; putfield}. The
 * initializer is usable when every such constructor has the same expression and the expression
 * reads nothing but {@code this} and constants: then it can run later, on an old object, as {@code
 * field$init(self)}.
 */
final class FieldInitializers {
  private FieldInitializers() {}

  /** The expression's instructions (without the leading aload_0 or the putfield); or null. */
  static InsnList initializer(ClassNode post, String fieldName, String fieldDesc) {
    List<String> texts = new ArrayList<>();
    InsnList found = null;
    for (MethodNode ctor : post.methods) {
      if (!ctor.name.equals("<init>") || delegatesToThis(post.name, ctor)) {
        continue;
      }
      InsnList expression = expressionFor(post.name, ctor, fieldName, fieldDesc);
      if (expression == null) {
        return null; // this constructor does not initialize it as a field initializer
      }
      StringBuilder text = new StringBuilder();
      InstructionText printer = new InstructionText();
      for (AbstractInsnNode insn : expression) {
        printer.append(insn, text);
      }
      texts.add(text.toString());
      if (found == null) {
        found = expression;
      }
    }
    if (found == null || texts.stream().distinct().count() != 1) {
      return null;
    }
    return found;
  }

  /** Whether a constructor starts with {@code this(...)} (its field initializers run elsewhere). */
  private static boolean delegatesToThis(String owner, MethodNode ctor) {
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        return m.owner.equals(owner);
      }
    }
    return false;
  }

  private static InsnList expressionFor(String owner, MethodNode ctor, String name, String desc) {
    InsnList insns = ctor.instructions;
    org.objectweb.asm.tree.analysis.Frame<org.objectweb.asm.tree.analysis.BasicValue>[] frames;
    try {
      frames =
          new org.objectweb.asm.tree.analysis.Analyzer<>(
                  new org.objectweb.asm.tree.analysis.BasicInterpreter())
              .analyze(owner, ctor);
    } catch (org.objectweb.asm.tree.analysis.AnalyzerException e) {
      return null;
    }
    int superCall = -1;
    for (int i = 0; i < insns.size(); i++) {
      if (insns.get(i) instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        superCall = i;
        break;
      }
    }
    if (superCall < 0) {
      return null;
    }
    // After the super call come the field initializers, one statement each:
    // aload_0 <expression> putfield owner.field. The first other statement ends them.
    int start = -1;
    for (int i = superCall + 1; i < insns.size(); i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn.getOpcode() < 0 || frames[i] == null) {
        continue;
      }
      if (start < 0) {
        if (frames[i].getStackSize() != 0
            || !(insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0)) {
          return null;
        }
        start = i;
      } else if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(owner)
          && frames[i].getStackSize() == 2) {
        if (f.name.equals(name) && f.desc.equals(desc)) {
          return selfContained(insns, start + 1, i);
        }
        start = -1;
      } else if (frames[i].getStackSize() == 0) {
        return null; // a statement that is not a field initializer: the initializers are over
      }
    }
    return null;
  }

  /** A copy of [from, to) if it reads no local but {@code this} and has no control flow. */
  private static InsnList selfContained(InsnList insns, int from, int to) {
    InsnList copy = new InsnList();
    java.util.Map<LabelNode, LabelNode> labels = new java.util.HashMap<>();
    for (int i = from; i < to; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof LabelNode label) {
        labels.put(label, new LabelNode());
      }
    }
    for (int i = from; i < to; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof VarInsnNode v && v.var != 0
          || insn instanceof IincInsnNode
          || insn instanceof JumpInsnNode
          || insn.getOpcode() == Opcodes.TABLESWITCH
          || insn.getOpcode() == Opcodes.LOOKUPSWITCH) {
        return null;
      }
      if (insn.getOpcode() >= 0 || insn instanceof LabelNode) {
        copy.add(insn.clone(labels));
      }
    }
    return copy;
  }
}
