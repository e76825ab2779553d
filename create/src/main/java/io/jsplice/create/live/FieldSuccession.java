package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * An added instance field that takes over from one the update removes (commons-net 3.9.0's {@code
 * Duration dataTimeout} for 3.8.0's {@code int dataTimeoutMillis}): objects built before the update
 * get it from the value they hold in the old field, converted as the fixed release's own setter
 * converts it, rather than the value a constructor gives a new object (which would drop what the
 * program configured) or none.
 *
 * <p>It applies when all of these hold:
 *
 * <ul>
 *   <li>some method of one argument is in both releases, its old body {@code this.old = arg}, its
 *       new body {@code this.added = convert(arg)}, where {@code convert} reads the argument once,
 *       nothing else but constants, and has no branches; every such method converts alike;
 *   <li>the old field is private, and the old release writes it in those methods and in
 *       constructors only, so that it holds either a setting or a constructor's value;
 *   <li>every old constructor that does not start with {@code this(...)} stores the old field once,
 *       straight-line, from an expression without calls, and the new constructor of the same
 *       signature stores the added field once, straight-line, with exactly {@code convert} of that
 *       expression (constants folded): an object the old constructor built holds what the new one
 *       would have given it, so the conversion does not hide a changed default; or, when the
 *       conversion hands a reference over as it is, neither constructor stores either field.
 * </ul>
 */
final class FieldSuccession {
  private FieldSuccession() {}

  /**
   * The expression giving {@code field} its value on an object built before the update, reading the
   * object as local 0; null when the field does not take over from a removed one as described.
   */
  static InsnList expression(ClassNode pre, ClassNode post, String name, String desc) {
    Match match = match(pre, post, name, desc);
    if (match == null) {
      return null;
    }
    InsnList out = new InsnList();
    for (AbstractInsnNode insn : match.convert) {
      if (insn instanceof VarInsnNode v && v.var == 1) {
        out.add(new VarInsnNode(Opcodes.ALOAD, 0));
        out.add(new FieldInsnNode(Opcodes.GETFIELD, pre.name, match.old.name, match.old.desc));
      } else {
        out.add(insn.clone(null));
      }
    }
    return out;
  }

  /** The removed field {@code field} takes over from; null when it does not take over. */
  static FieldNode predecessor(ClassNode pre, ClassNode post, String name, String desc) {
    Match match = match(pre, post, name, desc);
    return match == null ? null : match.old;
  }

  private record Match(FieldNode old, List<AbstractInsnNode> convert) {}

  private static Match match(ClassNode pre, ClassNode post, String name, String desc) {
    if (declared(pre, name, desc) != null
        || declared(post, name, desc) == null
        || (declared(post, name, desc).access & Opcodes.ACC_STATIC) != 0) {
      return null;
    }
    FieldNode old = null;
    String convertText = null;
    List<AbstractInsnNode> convert = null;
    List<String> setters = new ArrayList<>();
    for (MethodNode now : post.methods) {
      List<AbstractInsnNode> c = conversion(post.name, now, name, desc);
      MethodNode before = c == null ? null : method(pre, now.name, now.desc);
      FieldNode stored = before == null ? null : plainSetter(pre, before);
      if (stored == null || declared(post, stored.name, stored.desc) != null) {
        continue;
      }
      String text = text(c);
      if (old != null && (!old.name.equals(stored.name) || !convertText.equals(text))) {
        return null; // two setters that disagree on where the value comes from or how
      }
      old = stored;
      convertText = text;
      convert = c;
      setters.add(now.name + now.desc);
    }
    if (old == null
        || (old.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) != Opcodes.ACC_PRIVATE
        || !writtenOnlyBy(pre, old, setters)
        || !constructorsAgree(pre, post, old, name, desc, convert)) {
      return null;
    }
    return new Match(old, convert);
  }

  /**
   * The conversion of {@code this.field = convert(arg)}, the method's whole body; null if it is not
   * that.
   */
  private static List<AbstractInsnNode> conversion(
      String owner, MethodNode m, String field, String desc) {
    Type[] args = Type.getArgumentTypes(m.desc);
    if ((m.access & Opcodes.ACC_STATIC) != 0
        || m.name.startsWith("<")
        || args.length != 1
        || !m.tryCatchBlocks.isEmpty()) {
      return null;
    }
    List<AbstractInsnNode> code = real(m.instructions);
    int n = code.size();
    if (n < 4
        || !isThis(code.get(0))
        || code.get(n - 1).getOpcode() != Opcodes.RETURN
        || !(code.get(n - 2) instanceof FieldInsnNode put)
        || put.getOpcode() != Opcodes.PUTFIELD
        || !put.owner.equals(owner)
        || !put.name.equals(field)
        || !put.desc.equals(desc)) {
      return null;
    }
    List<AbstractInsnNode> convert = code.subList(1, n - 2);
    int argumentLoads = 0;
    for (AbstractInsnNode insn : convert) {
      if (insn instanceof VarInsnNode v) {
        if (v.var != 1 || v.getOpcode() != args[0].getOpcode(Opcodes.ILOAD)) {
          return null;
        }
        argumentLoads++;
      } else if (!(insn instanceof InsnNode
          || insn instanceof IntInsnNode
          || insn instanceof LdcInsnNode
          || insn instanceof MethodInsnNode
          || insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC
          || insn.getOpcode() == Opcodes.NEW
          || insn.getOpcode() == Opcodes.CHECKCAST)) {
        return null; // branches, other locals, field writes, instance reads
      }
      if (insn.getOpcode() == Opcodes.ATHROW
          || insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
        return null;
      }
    }
    return argumentLoads == 1 ? new ArrayList<>(convert) : null;
  }

  /** The field a method's whole body stores its one argument into: {@code this.f = arg}. */
  private static FieldNode plainSetter(ClassNode pre, MethodNode m) {
    Type[] args = Type.getArgumentTypes(m.desc);
    List<AbstractInsnNode> code = real(m.instructions);
    if ((m.access & Opcodes.ACC_STATIC) != 0
        || args.length != 1
        || code.size() != 4
        || !isThis(code.get(0))
        || !(code.get(1) instanceof VarInsnNode v)
        || v.var != 1
        || v.getOpcode() != args[0].getOpcode(Opcodes.ILOAD)
        || !(code.get(2) instanceof FieldInsnNode put)
        || put.getOpcode() != Opcodes.PUTFIELD
        || !put.owner.equals(pre.name)
        || !put.desc.equals(args[0].getDescriptor())
        || code.get(3).getOpcode() != Opcodes.RETURN) {
      return null;
    }
    return declared(pre, put.name, put.desc);
  }

  /** Whether the old release writes the field only in constructors and the given methods. */
  private static boolean writtenOnlyBy(ClassNode pre, FieldNode field, List<String> setters) {
    for (MethodNode m : pre.methods) {
      if (m.name.equals("<init>") || setters.contains(m.name + m.desc)) {
        continue;
      }
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof FieldInsnNode f
            && f.getOpcode() == Opcodes.PUTFIELD
            && f.owner.equals(pre.name)
            && f.name.equals(field.name)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether every old constructor that builds objects itself stores the old field from a call-free
   * expression {@code e}, and the new constructor of its signature stores the added field from
   * {@code convert(e)}.
   */
  private static boolean constructorsAgree(
      ClassNode pre,
      ClassNode post,
      FieldNode old,
      String name,
      String desc,
      List<AbstractInsnNode> convert) {
    for (MethodNode before : pre.methods) {
      if (!before.name.equals("<init>")) {
        continue;
      }
      MethodNode now = method(post, "<init>", before.desc);
      if (now == null) {
        return false; // objects built by a constructor the fixed release does not have
      }
      boolean delegates = ConstructorStatements.delegatesToThis(pre.name, before);
      if (delegates != ConstructorStatements.delegatesToThis(post.name, now)) {
        return false;
      }
      if (delegates) {
        continue; // the constructor it delegates to stores the fields
      }
      int[] was = ConstructorStatements.straightLine(pre.name, before, old.name, old.desc);
      int[] is = ConstructorStatements.straightLine(post.name, now, name, desc);
      if (was == null
          && is == null
          && isIdentity(convert)
          && stores(before, old.name) == 0
          && stores(now, name) == 0) {
        continue; // neither stores: the old field's default is the added field's default
      }
      if (was == null || is == null) {
        return false;
      }
      List<AbstractInsnNode> e = real(before.instructions, was[0] + 1, was[1]);
      if (e.stream().anyMatch(i -> !ConstructorStatements.callFree(i))) {
        return false;
      }
      List<AbstractInsnNode> converted = new ArrayList<>();
      for (AbstractInsnNode insn : convert) {
        if (insn instanceof VarInsnNode) {
          converted.addAll(e);
        } else {
          converted.add(insn);
        }
      }
      if (!text(converted).equals(text(real(now.instructions, is[0] + 1, is[1])))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the conversion hands the argument over as it is (a reference, maybe cast). */
  private static boolean isIdentity(List<AbstractInsnNode> convert) {
    return convert.stream()
        .allMatch(
            i ->
                i instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD
                    || i.getOpcode() == Opcodes.CHECKCAST);
  }

  private static int stores(MethodNode m, String field) {
    int n = 0;
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.PUTFIELD
          && f.name.equals(field)) {
        n++;
      }
    }
    return n;
  }

  /** Instructions as text, constant conversions folded ({@code iconst_m1 i2l} is {@code -1L}). */
  static String text(List<AbstractInsnNode> code) {
    List<Object> folded = new ArrayList<>(); // Number/String constants or instructions
    for (AbstractInsnNode insn : code) {
      Object constant = Constants.value(insn);
      if (constant != null) {
        folded.add(constant);
        continue;
      }
      Object last = folded.isEmpty() ? null : folded.get(folded.size() - 1);
      Object converted = last instanceof Number number ? Constants.convert(number, insn) : null;
      if (converted != null) {
        folded.set(folded.size() - 1, converted);
      } else {
        folded.add(insn);
      }
    }
    StringBuilder out = new StringBuilder();
    InstructionText printer = new InstructionText();
    for (Object o : folded) {
      if (o instanceof AbstractInsnNode insn) {
        printer.append(insn, out);
      } else {
        out.append("const ").append(o.getClass().getSimpleName()).append(' ').append(o);
      }
      out.append(';');
    }
    return out.toString();
  }

  private static boolean isThis(AbstractInsnNode insn) {
    return insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0;
  }

  private static List<AbstractInsnNode> real(InsnList insns) {
    return real(insns, 0, insns.size());
  }

  /** The instructions of [from, to), without labels, line numbers and frames. */
  private static List<AbstractInsnNode> real(InsnList insns, int from, int to) {
    List<AbstractInsnNode> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn.getOpcode() >= 0 && !(insn instanceof LabelNode)) {
        out.add(insn);
      }
    }
    return out;
  }

  private static MethodNode method(ClassNode c, String name, String desc) {
    return c.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.equals(desc))
        .findFirst()
        .orElse(null);
  }

  private static FieldNode declared(ClassNode c, String name, String desc) {
    return c.fields.stream()
        .filter(f -> f.name.equals(name) && f.desc.equals(desc))
        .findFirst()
        .orElse(null);
  }

  /** Constant pushes and the primitive conversions of constants, evaluated. */
  private static final class Constants {
    private Constants() {}

    static Object value(AbstractInsnNode insn) {
      int op = insn.getOpcode();
      if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
        return op - Opcodes.ICONST_0;
      }
      if (op == Opcodes.LCONST_0 || op == Opcodes.LCONST_1) {
        return (long) (op - Opcodes.LCONST_0);
      }
      if (op >= Opcodes.FCONST_0 && op <= Opcodes.FCONST_2) {
        return (float) (op - Opcodes.FCONST_0);
      }
      if (op == Opcodes.DCONST_0 || op == Opcodes.DCONST_1) {
        return (double) (op - Opcodes.DCONST_0);
      }
      if ((op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) && insn instanceof IntInsnNode i) {
        return i.operand;
      }
      if (insn instanceof LdcInsnNode ldc
          && (ldc.cst instanceof Number || ldc.cst instanceof String)) {
        return ldc.cst;
      }
      return null;
    }

    static Object convert(Number n, AbstractInsnNode insn) {
      return switch (insn.getOpcode()) {
        case Opcodes.I2L, Opcodes.F2L, Opcodes.D2L -> n.longValue();
        case Opcodes.I2F, Opcodes.L2F, Opcodes.D2F -> n.floatValue();
        case Opcodes.I2D, Opcodes.L2D, Opcodes.F2D -> n.doubleValue();
        case Opcodes.L2I, Opcodes.F2I, Opcodes.D2I -> n.intValue();
        default -> null;
      };
    }
  }
}
