package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The instructions of some code that lie on a path to where it completes normally (a return, or the
 * place its caller goes on from), following jumps, switches and the handlers of its try blocks.
 *
 * <p>The others run only on the way to an exception that leaves the code: a check's failure path,
 * building its message (guava's {@code checkArgument} formats its arguments with their {@code
 * toString}, logging what that throws). What they do cannot change a value the code returns or goes
 * on with; it happens only when the code fails. A caller that runs the code where its exception
 * escapes (no try block around the call) sees only what the completing instructions do, whenever it
 * goes on at all.
 *
 * <p>Sound for a {@code ret} by counting it as completing (its successors are not followed).
 */
final class CompletingCode {
  private final InsnList insns;
  private final boolean[] completing;
  private final boolean[] covered;

  private CompletingCode(InsnList insns, boolean[] completing, boolean[] covered) {
    this.insns = insns;
    this.completing = completing;
    this.covered = covered;
  }

  /** The instructions of a method that can reach one of its returns. */
  static CompletingCode of(MethodNode method) {
    return of(method, 0, method.instructions.size(), -1);
  }

  /**
   * The instructions of {@code method[from, to)} that can reach {@code resume} (an instruction
   * index, or -1 for none) or one of the method's returns without leaving the range but to {@code
   * resume}.
   */
  static CompletingCode of(MethodNode method, int from, int to, int resume) {
    InsnList insns = method.instructions;
    int size = insns.size();
    boolean[] covered = new boolean[size];
    List<List<Integer>> predecessors = new ArrayList<>(size + 1);
    for (int i = 0; i <= size; i++) {
      predecessors.add(new ArrayList<>());
    }
    for (int i = from; i < to; i++) {
      for (int next : successors(method, i)) {
        if (next >= from && next < to || next == resume) {
          predecessors.get(next).add(i);
        }
      }
    }
    for (TryCatchBlockNode t : method.tryCatchBlocks) {
      int handler = insns.indexOf(t.handler);
      for (int i = Math.max(from, insns.indexOf(t.start));
          i < Math.min(to, insns.indexOf(t.end));
          i++) {
        covered[i] = true;
        if (handler >= from && handler < to || handler == resume) {
          predecessors.get(handler).add(i);
        }
      }
    }
    boolean[] completing = new boolean[size + 1];
    Deque<Integer> work = new ArrayDeque<>();
    if (resume >= 0 && resume <= size) {
      completing[resume] = true;
      work.add(resume);
    }
    for (int i = from; i < to; i++) {
      int op = insns.get(i).getOpcode();
      if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN || op == Opcodes.RET) {
        completing[i] = true;
        work.add(i);
      }
    }
    while (!work.isEmpty()) {
      for (int p : predecessors.get(work.poll())) {
        if (!completing[p]) {
          completing[p] = true;
          work.add(p);
        }
      }
    }
    return new CompletingCode(insns, completing, covered);
  }

  /** Whether the instruction lies on a path to where the code completes normally. */
  boolean completes(AbstractInsnNode insn) {
    return completing[insns.indexOf(insn)];
  }

  /** Whether a try block of the method covers the instruction: what it throws may be caught. */
  boolean covered(AbstractInsnNode insn) {
    return covered[insns.indexOf(insn)];
  }

  /** Where control may go next from instruction {@code i} without an exception; may be size. */
  private static List<Integer> successors(MethodNode method, int i) {
    InsnList insns = method.instructions;
    AbstractInsnNode insn = insns.get(i);
    List<Integer> out = new ArrayList<>();
    for (LabelNode target : ConstructionChanges.targets(insn)) {
      out.add(insns.indexOf(target));
    }
    int op = insn.getOpcode();
    boolean ends =
        op == Opcodes.GOTO
            || op == Opcodes.ATHROW
            || op == Opcodes.RET
            || op >= Opcodes.IRETURN && op <= Opcodes.RETURN
            || op == Opcodes.TABLESWITCH
            || op == Opcodes.LOOKUPSWITCH;
    if (!ends) {
      out.add(i + 1);
    }
    return out;
  }
}
