package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Whether an added {@code readObject} is a check, then the default read: code that reads neither
 * the object nor the stream, writes no field and calls only code that only computes (reading static
 * state and system properties, as {@link SideEffectCheck} judges), so that all it can do is throw;
 * then {@code in.defaultReadObject()}. commons-collections 3.2.2's InvokerTransformer: {@code
 * FunctorUtils.checkUnsafeSerialization(InvokerTransformer.class); in.defaultReadObject();}.
 *
 * <p>Such a method refuses the class's objects exactly when its check throws, whatever the stream
 * holds; the check is lowered to a static method without parameters ({@link #CHECK_METHOD}) that a
 * deserialization filter can run before the class's state is read. javac's class-literal cache of
 * old class files ({@code class$}) is read as the class literal it is.
 */
final class ReadObjectCheck {
  /** The name of the lowered check, a static {@code ()V} method of the class's companion. */
  static final String CHECK_METHOD = "jsplice$readCheck";

  /** The lowered check, or why the method is not of the shape; exactly one is non-null. */
  record Result(MethodNode check, String refusal) {
    static Result refused(String why) {
      return new Result(null, why);
    }
  }

  private ReadObjectCheck() {}

  /**
   * @param owner the class that adds {@code readObject}, internal name
   * @param readObject its {@code readObject(ObjectInputStream)}
   * @param effects judges the calls of the check, into the fixed release and the JDK
   */
  static Result lower(String owner, MethodNode readObject, SideEffectCheck effects) {
    if (!readObject.tryCatchBlocks.isEmpty()) {
      return Result.refused("it catches exceptions");
    }
    MethodNode copy = new MethodNode();
    readObject.accept(copy);
    InsnList code = copy.instructions;
    readClassLiterals(code);
    List<AbstractInsnNode> tail = lastReal(code, 3);
    if (tail.size() < 3
        || !isLoad(tail.get(0), 1)
        || !(tail.get(1) instanceof MethodInsnNode read)
        || !read.owner.equals("java/io/ObjectInputStream")
        || !read.name.equals("defaultReadObject")
        || tail.get(2).getOpcode() != Opcodes.RETURN) {
      return Result.refused("it does not end in in.defaultReadObject()");
    }
    tail.forEach(code::remove);
    boolean acts = false;
    for (AbstractInsnNode insn : code.toArray()) {
      int op = insn.getOpcode();
      if (insn instanceof FrameNode) {
        code.remove(insn); // they name the receiver and the stream; the writer computes frames
        continue;
      }
      if (op == Opcodes.RETURN) {
        return Result.refused("it returns before the default read");
      }
      if (insn instanceof VarInsnNode v && v.var <= 1
          || insn instanceof IincInsnNode i && i.var <= 1) {
        return Result.refused(
            "it uses the " + (localOf(insn) == 0 ? "object" : "stream") + " before its check ends");
      }
      if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC) {
        FieldInsnNode f = (FieldInsnNode) insn;
        return Result.refused("it writes the field " + dotted(f.owner) + "." + f.name);
      }
      acts |= op == Opcodes.ATHROW || insn instanceof MethodInsnNode;
    }
    if (!acts) {
      return Result.refused("it checks nothing before the default read");
    }
    Optional<String> effect = effects.check(owner, List.of(code.toArray()));
    if (effect.isPresent()) {
      return Result.refused("its check " + effect.get());
    }
    code.add(new InsnNode(Opcodes.RETURN));
    MethodNode check =
        new MethodNode(
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            CHECK_METHOD,
            "()V",
            null,
            null);
    check.instructions = code;
    check.maxStack = readObject.maxStack;
    check.maxLocals = readObject.maxLocals;
    return new Result(check, null);
  }

  private static int localOf(AbstractInsnNode insn) {
    return insn instanceof VarInsnNode v ? v.var : ((IincInsnNode) insn).var;
  }

  private static boolean isLoad(AbstractInsnNode insn, int local) {
    return insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == local;
  }

  private static List<AbstractInsnNode> lastReal(InsnList code, int count) {
    List<AbstractInsnNode> out = new ArrayList<>();
    for (AbstractInsnNode i = code.getLast();
        i != null && out.size() < count;
        i = i.getPrevious()) {
      if (i.getOpcode() >= 0) {
        out.add(0, i);
      }
    }
    return out;
  }

  /**
   * Replaces javac's class-literal cache of pre-Java-5 class files by the literal: {@code getstatic
   * class$N; ifnonnull L1; ldc "name"; invokestatic class$(String); dup; putstatic class$N; goto
   * L2; L1: getstatic class$N; L2:} becomes {@code ldc Lname;}.
   */
  private static void readClassLiterals(InsnList code) {
    for (AbstractInsnNode first : code.toArray()) {
      List<AbstractInsnNode> run = realRun(first, 8);
      if (run.size() == 8
          && run.get(0) instanceof FieldInsnNode cached
          && cached.getOpcode() == Opcodes.GETSTATIC
          && cached.name.startsWith("class$")
          && run.get(1).getOpcode() == Opcodes.IFNONNULL
          && run.get(2) instanceof LdcInsnNode name
          && name.cst instanceof String className
          && run.get(3) instanceof MethodInsnNode lookup
          && lookup.name.equals("class$")
          && run.get(4).getOpcode() == Opcodes.DUP
          && run.get(5) instanceof FieldInsnNode stored
          && stored.getOpcode() == Opcodes.PUTSTATIC
          && stored.name.equals(cached.name)
          && run.get(6) instanceof JumpInsnNode skip
          && skip.getOpcode() == Opcodes.GOTO
          && run.get(7) instanceof FieldInsnNode again
          && again.name.equals(cached.name)
          && next(((JumpInsnNode) run.get(1)).label) == again
          && next(skip.label) == next(again)) {
        LabelNode end = skip.label;
        code.insertBefore(first, new LdcInsnNode(Type.getObjectType(className.replace('.', '/'))));
        for (AbstractInsnNode i = first; i != end; ) {
          AbstractInsnNode following = i.getNext();
          if (i.getOpcode() >= 0) {
            code.remove(i);
          }
          i = following;
        }
      }
    }
  }

  private static AbstractInsnNode next(AbstractInsnNode insn) {
    return GuardedEntries.real(insn.getNext(), true);
  }

  private static List<AbstractInsnNode> realRun(AbstractInsnNode first, int count) {
    List<AbstractInsnNode> out = new ArrayList<>();
    for (AbstractInsnNode i = first; i != null && out.size() < count; i = i.getNext()) {
      if (i.getOpcode() >= 0) {
        out.add(i);
      } else if (out.isEmpty()) {
        return out;
      }
    }
    return out;
  }
}
