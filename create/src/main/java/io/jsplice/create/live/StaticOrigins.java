package io.jsplice.create.live;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * A data-flow interpreter that tracks, for each value, which static fields it may have been read
 * from, through local variables and stack copies (so {@code Map m = CACHE; ... m.put(k, v)} still
 * counts as a store into {@code CACHE}). Values are immutable sets of {@code owner.name} keys.
 */
final class StaticOrigins extends Interpreter<StaticOrigins.Origin> {
  /** The static fields a value may come from; {@code size} is the JVM slot size (0 = unknown). */
  record Origin(int size, Set<String> fields) implements Value {
    static final Origin NONE = new Origin(1, Set.of());

    @Override
    public int getSize() {
      return size == 0 ? 1 : size;
    }
  }

  StaticOrigins() {
    super(Opcodes.ASM9);
  }

  private static Origin plain(int size) {
    return size == 2 ? new Origin(2, Set.of()) : Origin.NONE;
  }

  @Override
  public Origin newValue(Type type) {
    if (type == Type.VOID_TYPE) {
      return null;
    }
    return plain(type == null ? 1 : type.getSize());
  }

  @Override
  public Origin newOperation(AbstractInsnNode insn) {
    if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC) {
      return new Origin(Type.getType(f.desc).getSize(), Set.of(f.owner + "." + f.name));
    }
    int op = insn.getOpcode();
    boolean wide =
        op == Opcodes.LCONST_0
            || op == Opcodes.LCONST_1
            || op == Opcodes.DCONST_0
            || op == Opcodes.DCONST_1
            || (op == Opcodes.LDC
                && (((org.objectweb.asm.tree.LdcInsnNode) insn).cst instanceof Long
                    || ((org.objectweb.asm.tree.LdcInsnNode) insn).cst instanceof Double));
    return plain(wide ? 2 : 1);
  }

  @Override
  public Origin copyOperation(AbstractInsnNode insn, Origin value) {
    return value;
  }

  @Override
  public Origin unaryOperation(AbstractInsnNode insn, Origin value) throws AnalyzerException {
    int op = insn.getOpcode();
    if (op == Opcodes.CHECKCAST) {
      return value;
    }
    boolean wide =
        op == Opcodes.I2L
            || op == Opcodes.I2D
            || op == Opcodes.L2D
            || op == Opcodes.F2L
            || op == Opcodes.F2D
            || op == Opcodes.D2L
            || op == Opcodes.LNEG
            || op == Opcodes.DNEG;
    if (insn instanceof FieldInsnNode f && op == Opcodes.GETFIELD) {
      return plain(Type.getType(f.desc).getSize());
    }
    return plain(wide ? 2 : 1);
  }

  @Override
  public Origin binaryOperation(AbstractInsnNode insn, Origin a, Origin b) {
    int op = insn.getOpcode();
    boolean wide =
        (op >= Opcodes.LADD
                && op <= Opcodes.DREM
                && ((op - Opcodes.IADD) % 4 == 1 || (op - Opcodes.IADD) % 4 == 3))
            || op == Opcodes.LALOAD
            || op == Opcodes.DALOAD
            || op == Opcodes.LSHL
            || op == Opcodes.LSHR
            || op == Opcodes.LUSHR
            || op == Opcodes.LAND
            || op == Opcodes.LOR
            || op == Opcodes.LXOR;
    return plain(wide ? 2 : 1);
  }

  @Override
  public Origin ternaryOperation(AbstractInsnNode insn, Origin a, Origin b, Origin c) {
    return Origin.NONE;
  }

  @Override
  public Origin naryOperation(AbstractInsnNode insn, List<? extends Origin> values) {
    Type type =
        insn.getOpcode() == Opcodes.MULTIANEWARRAY
            ? Type.getType(((org.objectweb.asm.tree.MultiANewArrayInsnNode) insn).desc)
            : insn instanceof org.objectweb.asm.tree.MethodInsnNode m
                ? Type.getReturnType(m.desc)
                : insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode d
                    ? Type.getReturnType(d.desc)
                    : Type.INT_TYPE;
    return type == Type.VOID_TYPE ? Origin.NONE : plain(type.getSize());
  }

  @Override
  public void returnOperation(AbstractInsnNode insn, Origin value, Origin expected) {}

  @Override
  public Origin merge(Origin a, Origin b) {
    if (a.fields().containsAll(b.fields()) && a.size() == b.size()) {
      return a;
    }
    Set<String> union = new HashSet<>(a.fields());
    union.addAll(b.fields());
    return new Origin(Math.max(a.size(), b.size()), Set.copyOf(union));
  }
}
