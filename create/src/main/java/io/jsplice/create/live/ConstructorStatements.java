package io.jsplice.create.live;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Field stores in constructors, {@code aload_0 <expression> putfield owner.field} as one statement,
 * and which of them an old constructor can do without, when the constructors of two releases are
 * compared to tell whether objects built before the update hold what the fixed constructor would
 * give them.
 */
final class ConstructorStatements {
  private ConstructorStatements() {}

  /**
   * Whether a constructor starts with {@code this(...)} (another constructor builds the object).
   */
  static boolean delegatesToThis(String owner, MethodNode ctor) {
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof MethodInsnNode m
          && m.getOpcode() == Opcodes.INVOKESPECIAL
          && m.name.equals("<init>")) {
        return m.owner.equals(owner);
      }
    }
    return false;
  }

  /**
   * The only store of the field in the constructor, when every run of the constructor that returns
   * makes it: no branch or throw before it, outside any try block. The indexes of its {@code
   * aload_0} and of its {@code putfield}; or null.
   */
  static int[] straightLine(String owner, MethodNode ctor, String name, String desc) {
    int put = -1;
    for (int i = 0; i < ctor.instructions.size(); i++) {
      if (ctor.instructions.get(i) instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(owner)
          && f.name.equals(name)) {
        if (put >= 0 || !f.desc.equals(desc)) {
          return null;
        }
        put = i;
      }
    }
    if (put < 0) {
      return null;
    }
    for (int i = 0; i < put; i++) {
      AbstractInsnNode insn = ctor.instructions.get(i);
      int op = insn.getOpcode();
      if (insn instanceof JumpInsnNode
          || op == Opcodes.TABLESWITCH
          || op == Opcodes.LOOKUPSWITCH
          || op == Opcodes.ATHROW) {
        return null;
      }
    }
    for (TryCatchBlockNode block : ctor.tryCatchBlocks) {
      if (ctor.instructions.indexOf(block.start) < put) {
        return null;
      }
    }
    Frame<BasicValue>[] frames;
    try {
      frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, ctor);
    } catch (AnalyzerException e) {
      return null;
    }
    if (frames[put] == null || frames[put].getStackSize() != 2) {
      return null;
    }
    for (int i = put - 1; i >= 0; i--) {
      AbstractInsnNode insn = ctor.instructions.get(i);
      if (insn.getOpcode() < 0 || frames[i] == null) {
        continue;
      }
      if (frames[i].getStackSize() == 0) {
        return insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0
            ? new int[] {i, put}
            : null;
      }
    }
    return null;
  }

  /** Whether the instruction computes without effects: constants, loads, arithmetic. */
  static boolean callFree(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if (insn instanceof VarInsnNode v) {
      return v.getOpcode() <= Opcodes.ALOAD;
    }
    if (insn instanceof FieldInsnNode f) {
      return f.getOpcode() == Opcodes.GETSTATIC || f.getOpcode() == Opcodes.GETFIELD;
    }
    if (insn instanceof IntInsnNode || insn instanceof LdcInsnNode) {
      return op != Opcodes.NEWARRAY;
    }
    if (insn instanceof InsnNode) {
      return op <= Opcodes.DCONST_1 // constants
          || op >= Opcodes.IADD && op <= Opcodes.LXOR // arithmetic
          || op >= Opcodes.I2L && op <= Opcodes.I2S // conversions
          || op >= Opcodes.LCMP && op <= Opcodes.DCMPG
          || op == Opcodes.DUP
          || op == Opcodes.POP;
    }
    return false;
  }

  /**
   * The statements of an old constructor that make no difference to an object once the fixed code
   * runs it, and may be left out when it is compared with the new one:
   *
   * <ul>
   *   <li>a call-free store into a private field the fixed release removes: no fixed code reads it
   *       (what takes over from it reads it on its own terms, {@link FieldSuccession});
   *   <li>a store of the JVM's default value (0, false, null) into a field both releases declare,
   *       where the new constructor of the same signature does not store it and nothing the old
   *       constructor ran before can have written it ({@code calls} finds no writer of the field
   *       reached from what it called): the field holds that value anyway.
   * </ul>
   *
   * @param calls reaches, through the old release's calls, a method in its changed set: built with
   *     the methods of {@code pre} that write each field as that set
   */
  static Set<AbstractInsnNode> idle(
      ClassNode pre, ClassNode post, MethodNode ctor, java.util.function.Predicate<String> writes) {
    Set<AbstractInsnNode> out = new HashSet<>();
    if (delegatesToThis(pre.name, ctor)) {
      return out;
    }
    MethodNode now =
        post.methods.stream()
            .filter(m -> m.name.equals("<init>") && m.desc.equals(ctor.desc))
            .findFirst()
            .orElse(null);
    for (int i = 0; i < ctor.instructions.size(); i++) {
      if (!(ctor.instructions.get(i) instanceof FieldInsnNode f)
          || f.getOpcode() != Opcodes.PUTFIELD
          || !f.owner.equals(pre.name)) {
        continue;
      }
      FieldNode before = declared(pre, f.name, f.desc);
      int[] range = straightLine(pre.name, ctor, f.name, f.desc);
      if (before == null || range == null) {
        continue;
      }
      boolean removed = declared(post, f.name, f.desc) == null;
      boolean idle;
      if (removed) {
        idle = (before.access & Opcodes.ACC_PRIVATE) != 0 && callFreeBetween(ctor, range);
      } else {
        idle =
            range[1] == range[0] + 2
                && isDefault(ctor.instructions.get(range[0] + 1), f.desc)
                && now != null
                && straightLine(post.name, now, f.name, f.desc) == null
                && storesNone(post.name, now, f.name)
                && !writtenBefore(ctor, range[0], f.name + ":" + f.desc, writes);
      }
      if (idle) {
        for (int k = range[0]; k <= range[1]; k++) {
          out.add(ctor.instructions.get(k));
        }
      }
    }
    return out;
  }

  private static boolean callFreeBetween(MethodNode ctor, int[] range) {
    for (int k = range[0] + 1; k < range[1]; k++) {
      AbstractInsnNode insn = ctor.instructions.get(k);
      if (insn.getOpcode() >= 0 && !callFree(insn)) {
        return false;
      }
    }
    return true;
  }

  private static boolean storesNone(String owner, MethodNode ctor, String field) {
    for (AbstractInsnNode insn : ctor.instructions) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.owner.equals(owner)
          && f.name.equals(field)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether code before {@code index} may write the field: a call that reaches one of its writers
   * ({@code writes} tests {@code owner.name+desc|field}).
   */
  private static boolean writtenBefore(
      MethodNode ctor, int index, String field, java.util.function.Predicate<String> writes) {
    for (int k = 0; k < index; k++) {
      if (ctor.instructions.get(k) instanceof MethodInsnNode m
          && writes.test(m.owner + "." + m.name + m.desc + "|" + field)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDefault(AbstractInsnNode insn, String desc) {
    int op = insn.getOpcode();
    return switch (desc.charAt(0)) {
      case 'L', '[' -> op == Opcodes.ACONST_NULL;
      case 'J' -> op == Opcodes.LCONST_0;
      case 'F' -> op == Opcodes.FCONST_0;
      case 'D' -> op == Opcodes.DCONST_0;
      default -> op == Opcodes.ICONST_0;
    };
  }

  private static FieldNode declared(ClassNode c, String name, String desc) {
    return c.fields.stream()
        .filter(f -> f.name.equals(name) && f.desc.equals(desc))
        .findFirst()
        .orElse(null);
  }
}
