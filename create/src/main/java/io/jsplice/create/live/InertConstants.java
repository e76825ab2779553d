package io.jsplice.create.live;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * The constants of a method that cannot change what an object it builds holds, whatever their
 * value: those that reach nothing but an argument of a logging call (a release's version logged by
 * a constructor, {@code LOGGER.log(Level.FINE, "PostgreSQL JDBC Driver 42.4.1")}, a message
 * reworded), and those on code that can only end in an exception leaving the method (the message of
 * the exception a check throws: a run that completes never reached them, {@link CompletingCode}).
 *
 * <p>A logged constant changes what is logged, never what the method stores or returns: the logging
 * interfaces return nothing and are handed the text, not the object. It is followed in straight
 * code only, from the constant to the call that consumes it; any other use (stored, duplicated,
 * passed to other code, alive across a jump) and the constant is not counted.
 */
final class InertConstants {
  /** The logging interfaces of the JDK and of the common logging libraries. */
  private static final Set<String> LOGGERS =
      Set.of(
          "java/util/logging/Logger",
          "java/lang/System$Logger",
          "org/slf4j/Logger",
          "org/apache/commons/logging/Log",
          "org/apache/juli/logging/Log",
          "org/apache/logging/log4j/Logger",
          "org/apache/log4j/Logger",
          "org/apache/log4j/Category",
          "org/jboss/logging/Logger",
          "org/jboss/logging/BasicLogger",
          "ch/qos/logback/classic/Logger",
          "io/netty/util/internal/logging/InternalLogger");

  /** How far a constant is followed to the call that takes it. */
  private static final int REACH = 64;

  private InertConstants() {}

  /** The method's {@code ldc} instructions whose value changes no object it builds, by identity. */
  static Set<AbstractInsnNode> in(String owner, MethodNode method) {
    Set<AbstractInsnNode> out = Collections.newSetFromMap(new IdentityHashMap<>());
    Frame<SourceValue>[] frames = null;
    CompletingCode completing = null;
    InsnList insns = method.instructions;
    for (int k = 0; k < insns.size(); k++) {
      if (!(insns.get(k) instanceof LdcInsnNode)) {
        continue;
      }
      if (completing == null) {
        completing = CompletingCode.of(method);
      }
      if (!completing.completes(insns.get(k))) {
        out.add(insns.get(k));
        continue;
      }
      if (frames == null) {
        frames = frames(owner, method);
        if (frames == null) {
          return out;
        }
      }
      if (onlyLogged(insns, frames, k)) {
        out.add(insns.get(k));
      }
    }
    return out;
  }

  private static boolean onlyLogged(InsnList insns, Frame<SourceValue>[] frames, int ldc) {
    if (ldc + 1 >= insns.size() || frames[ldc + 1] == null) {
      return false;
    }
    int depth = frames[ldc + 1].getStackSize() - 1;
    if (!holds(frames[ldc + 1], depth, insns.get(ldc))) {
      return false;
    }
    for (int j = ldc + 1; j < insns.size() && j <= ldc + REACH; j++) {
      AbstractInsnNode insn = insns.get(j);
      int op = insn.getOpcode();
      if (op < 0) {
        continue; // a label, line number or frame
      }
      Frame<SourceValue> before = frames[j];
      if (before == null || !holds(before, depth, insns.get(ldc))) {
        return false;
      }
      int size = before.getStackSize();
      if (insn instanceof MethodInsnNode call) {
        int args = Type.getArgumentTypes(call.desc).length;
        int first = size - args;
        if (depth >= first) {
          return LOGGERS.contains(call.owner)
              && op != Opcodes.INVOKESTATIC
              && Type.getReturnType(call.desc).getSort() == Type.VOID;
        }
        if (depth >= first - (op == Opcodes.INVOKESTATIC ? 0 : 1)) {
          return false; // the receiver
        }
        continue;
      }
      if (op >= Opcodes.DUP && op <= Opcodes.SWAP && depth >= size - 4) {
        return false; // copied or moved
      }
      if (j + 1 >= insns.size()
          || frames[j + 1] == null
          || !holds(frames[j + 1], depth, insns.get(ldc))) {
        return false; // consumed by something else, or alive across a jump
      }
      if (ConstructionChanges.targets(insn).size() > 0
          || op == Opcodes.GOTO
          || op == Opcodes.ATHROW
          || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) {
        return false;
      }
    }
    return false;
  }

  private static boolean holds(Frame<SourceValue> frame, int depth, AbstractInsnNode ldc) {
    if (depth < 0 || depth >= frame.getStackSize()) {
      return false;
    }
    Set<AbstractInsnNode> sources = frame.getStack(depth).insns;
    return sources.size() == 1 && sources.contains(ldc);
  }

  @SuppressWarnings("unchecked")
  private static Frame<SourceValue>[] frames(String owner, MethodNode method) {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
    } catch (AnalyzerException e) {
      return null;
    }
  }
}
