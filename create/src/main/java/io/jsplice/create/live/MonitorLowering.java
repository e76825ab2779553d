package io.jsplice.create.live;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A {@code synchronized} method the update adds, made a method that takes the same monitor itself:
 * added methods move to a companion as static methods, where the flag would lock the companion's
 * class instead of the receiver (or the host's class, for a static method). The body is wrapped as
 * javac wraps a {@code synchronized} block: enter the monitor, exit it before every return, and
 * exit it and rethrow on any exception. The companion's frames are computed afterwards.
 */
final class MonitorLowering {
  private MonitorLowering() {}

  /**
   * {@code method} itself when it is not {@code synchronized}; else a copy without the flag that
   * locks what the flag locked: the receiver (local 0) of an instance method, {@code host}'s class
   * for a static one.
   */
  static MethodNode lockExplicitly(MethodNode method, String host) {
    if ((method.access & Opcodes.ACC_SYNCHRONIZED) == 0
        || (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
      return method;
    }
    MethodNode copy =
        new MethodNode(
            method.access & ~Opcodes.ACC_SYNCHRONIZED,
            method.name,
            method.desc,
            method.signature,
            method.exceptions.toArray(String[]::new));
    method.accept(copy);
    copy.access = method.access & ~Opcodes.ACC_SYNCHRONIZED;
    int lock = copy.maxLocals;
    copy.maxLocals = lock + 1;
    copy.maxStack = Math.max(copy.maxStack, 2);

    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    LabelNode handler = new LabelNode();
    InsnList enter = new InsnList();
    if ((method.access & Opcodes.ACC_STATIC) != 0) {
      enter.add(new LdcInsnNode(Type.getObjectType(host)));
    } else {
      enter.add(new VarInsnNode(Opcodes.ALOAD, 0));
    }
    enter.add(new InsnNode(Opcodes.DUP));
    enter.add(new VarInsnNode(Opcodes.ASTORE, lock));
    enter.add(new InsnNode(Opcodes.MONITORENTER));
    enter.add(start);
    for (AbstractInsnNode insn : copy.instructions.toArray()) {
      if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
        InsnList exit = new InsnList();
        exit.add(new VarInsnNode(Opcodes.ALOAD, lock));
        exit.add(new InsnNode(Opcodes.MONITOREXIT));
        copy.instructions.insertBefore(insn, exit);
      }
    }
    copy.instructions.insert(enter);
    copy.instructions.add(end);
    copy.instructions.add(handler);
    copy.instructions.add(new VarInsnNode(Opcodes.ALOAD, lock));
    copy.instructions.add(new InsnNode(Opcodes.MONITOREXIT));
    copy.instructions.add(new InsnNode(Opcodes.ATHROW));
    // Last in the table: the body's own handlers, inside it, are tried first.
    copy.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    return copy;
  }
}
