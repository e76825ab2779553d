package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;

/**
 * Calls whose result no value can depend on: precondition checks such as {@code
 * Validate.notNull(x)}. A method is a check when, in the vulnerable and the fixed release alike, it
 * returns void, catches nothing, and on every path that can return does nothing but load, compare
 * and branch: whatever else it does (build a message, an exception) leads only to a throw. A static
 * initializer that completed ran such a call to a normal return, so the call did nothing; the fixed
 * release's initializer, given the same arguments, completes too (a release whose classes fail to
 * initialize is no fix), so a check the update changes changes no value built around it. Not when
 * the call sits in a try block of the initializer: a throw there may have been caught and have
 * changed what was built.
 */
final class GuardCalls {
  private final Function<String, byte[]> pre;
  private final Function<String, byte[]> post;
  private final Map<String, Boolean> known = new HashMap<>();

  /**
   * @param pre classes of the vulnerable release by internal name, or null
   * @param post classes of the fixed release (installed names) by internal name, or null
   */
  GuardCalls(Function<String, byte[]> pre, Function<String, byte[]> post) {
    this.pre = pre;
    this.post = post;
  }

  /** Whether {@code call}, an instruction of {@code caller}, is a check that cannot throw there. */
  boolean isCheck(MethodNode caller, MethodInsnNode call) {
    if (inTryBlock(caller, call)) {
      return false;
    }
    return known.computeIfAbsent(
        call.owner + "." + call.name + call.desc,
        k ->
            call.getOpcode() == Opcodes.INVOKESTATIC
                && Type.getReturnType(call.desc) == Type.VOID_TYPE
                && isCheck(method(pre, call))
                && isCheck(method(post, call)));
  }

  /** Whether every path of {@code m} that can return only loads, compares and branches. */
  static boolean isCheck(MethodNode m) {
    if (m == null
        || m.instructions.size() == 0
        || !m.tryCatchBlocks.isEmpty()
        || (m.access & (Opcodes.ACC_SYNCHRONIZED | Opcodes.ACC_NATIVE)) != 0) {
      return false;
    }
    InsnList code = m.instructions;
    List<List<Integer>> predecessors = new ArrayList<>();
    for (int i = 0; i < code.size(); i++) {
      predecessors.add(new ArrayList<>());
    }
    Deque<Integer> returning = new ArrayDeque<>();
    for (int i = 0; i < code.size(); i++) {
      AbstractInsnNode insn = code.get(i);
      if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
        return false; // subroutines (class files before Java 7): their flow is not followed
      }
      if (insn.getOpcode() == Opcodes.RETURN) {
        returning.add(i);
      }
      for (AbstractInsnNode next : successors(insn)) {
        predecessors.get(code.indexOf(next)).add(i);
      }
    }
    boolean[] mayReturn = new boolean[code.size()];
    while (!returning.isEmpty()) {
      int i = returning.pop();
      if (mayReturn[i]) {
        continue;
      }
      mayReturn[i] = true;
      if (!quiet(code.get(i))) {
        return false;
      }
      returning.addAll(predecessors.get(i));
    }
    return true;
  }

  private static List<AbstractInsnNode> successors(AbstractInsnNode insn) {
    List<AbstractInsnNode> out = new ArrayList<>(ConstructionChanges.targets(insn));
    int op = insn.getOpcode();
    boolean ends =
        op == Opcodes.GOTO
            || op == Opcodes.ATHROW
            || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)
            || insn instanceof TableSwitchInsnNode
            || insn instanceof LookupSwitchInsnNode;
    if (!ends && insn.getNext() != null) {
      out.add(insn.getNext());
    }
    return out;
  }

  /** Loads, constants, arithmetic, comparisons, branches and pseudo-instructions; no effects. */
  private static boolean quiet(AbstractInsnNode insn) {
    int op = insn.getOpcode();
    if (op < 0 || insn instanceof LabelNode) {
      return true; // labels, line numbers, frames
    }
    return (op <= Opcodes.ASTORE) // constants, local and array loads, local stores
        || (op >= Opcodes.POP && op <= Opcodes.GOTO) // stack, arithmetic, comparisons, branches
        || op == Opcodes.TABLESWITCH
        || op == Opcodes.LOOKUPSWITCH
        || op == Opcodes.RETURN
        || op == Opcodes.GETFIELD
        || op == Opcodes.ARRAYLENGTH
        || op == Opcodes.CHECKCAST
        || op == Opcodes.INSTANCEOF
        || op == Opcodes.IFNULL
        || op == Opcodes.IFNONNULL;
  }

  private static boolean inTryBlock(MethodNode caller, AbstractInsnNode insn) {
    int at = caller.instructions.indexOf(insn);
    return caller.tryCatchBlocks.stream()
        .anyMatch(
            t ->
                caller.instructions.indexOf(t.start) <= at
                    && at < caller.instructions.indexOf(t.end));
  }

  private static MethodNode method(Function<String, byte[]> classes, MethodInsnNode call) {
    byte[] bytes = classes == null ? null : classes.apply(call.owner);
    if (bytes == null) {
      return null;
    }
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return node.methods.stream()
        .filter(m -> m.name.equals(call.name) && m.desc.equals(call.desc))
        .findFirst()
        .orElse(null);
  }
}
