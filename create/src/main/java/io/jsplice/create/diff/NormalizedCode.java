package io.jsplice.create.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A method's code as a list of executable instructions, each rendered to a canonical line.
 *
 * <p>Labels, line numbers and frames are not instructions here: a branch target is the index of the
 * first instruction at or after its label, so two methods that execute the same instructions render
 * alike however their labels were laid out. A lookup switch lists its cases sorted by key.
 *
 * <p>Immutable once built; not thread-safe to build.
 */
final class NormalizedCode {
  private final MethodNode method;
  private final List<AbstractInsnNode> instructions = new ArrayList<>();
  private final Map<LabelNode, Integer> positions = new IdentityHashMap<>();

  private NormalizedCode(MethodNode method) {
    this.method = method;
    for (AbstractInsnNode insn = method.instructions.getFirst();
        insn != null;
        insn = insn.getNext()) {
      if (insn instanceof LabelNode label) {
        positions.put(label, instructions.size());
      } else if (insn.getOpcode() >= 0) {
        instructions.add(insn);
      }
    }
  }

  static NormalizedCode of(MethodNode method) {
    return new NormalizedCode(method);
  }

  int size() {
    return instructions.size();
  }

  AbstractInsnNode instruction(int index) {
    return instructions.get(index);
  }

  /** Every instruction, branch targets as absolute indices. */
  List<String> lines() {
    List<String> lines = new ArrayList<>(instructions.size());
    for (int i = 0; i < instructions.size(); i++) {
      lines.add(line(i, 0));
    }
    return lines;
  }

  /**
   * The canonical text of the whole body: instructions, exception handlers (in order, since the JVM
   * searches them in order) and the stack and local sizes.
   */
  String text() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < instructions.size(); i++) {
      out.append(line(i, 0)).append('\n');
    }
    for (TryCatchBlockNode handler : method.tryCatchBlocks) {
      out.append("try ")
          .append(position(handler.start))
          .append(' ')
          .append(position(handler.end))
          .append(' ')
          .append(position(handler.handler))
          .append(' ')
          .append(handler.type)
          .append('\n');
    }
    return out.append("max ")
        .append(method.maxStack)
        .append(' ')
        .append(method.maxLocals)
        .toString();
  }

  /**
   * One instruction's canonical line; branch targets are rendered relative to {@code base}, so that
   * a run of instructions starting at {@code base} renders the same wherever it sits in the method.
   */
  String line(int index, int base) {
    AbstractInsnNode insn = instructions.get(index);
    StringBuilder out = new StringBuilder().append(insn.getOpcode());
    if (insn instanceof IntInsnNode i) {
      out.append(' ').append(i.operand);
    } else if (insn instanceof VarInsnNode v) {
      out.append(' ').append(v.var);
    } else if (insn instanceof TypeInsnNode t) {
      out.append(' ').append(t.desc);
    } else if (insn instanceof FieldInsnNode f) {
      out.append(' ').append(f.owner).append('.').append(f.name).append(':').append(f.desc);
    } else if (insn instanceof MethodInsnNode m) {
      out.append(' ').append(m.owner).append('.').append(m.name).append(m.desc);
      out.append(m.itf ? " itf" : "");
    } else if (insn instanceof InvokeDynamicInsnNode d) {
      out.append(' ').append(d.name).append(d.desc).append(' ');
      out.append(CanonicalForm.constant(d.bsm));
      for (Object argument : d.bsmArgs) {
        out.append(' ').append(CanonicalForm.constant(argument));
      }
    } else if (insn instanceof JumpInsnNode j) {
      out.append(" @").append(position(j.label) - base);
    } else if (insn instanceof LdcInsnNode l) {
      out.append(' ').append(CanonicalForm.constant(l.cst));
    } else if (insn instanceof IincInsnNode i) {
      out.append(' ').append(i.var).append(' ').append(i.incr);
    } else if (insn instanceof TableSwitchInsnNode t) {
      out.append(' ').append(t.min).append(' ').append(t.max);
      out.append(" @").append(position(t.dflt) - base);
      for (LabelNode label : t.labels) {
        out.append(" @").append(position(label) - base);
      }
    } else if (insn instanceof LookupSwitchInsnNode l) {
      appendLookupSwitch(l, base, out);
    } else if (insn instanceof MultiANewArrayInsnNode m) {
      out.append(' ').append(m.desc).append(' ').append(m.dims);
    }
    // Anything else is an InsnNode: the opcode says it all.
    return out.toString();
  }

  private void appendLookupSwitch(LookupSwitchInsnNode insn, int base, StringBuilder out) {
    out.append(" @").append(position(insn.dflt) - base);
    long[] cases = new long[insn.keys.size()];
    for (int k = 0; k < cases.length; k++) {
      // The key in the high half, the target in the low half: sorting orders cases by key.
      long target = (position(insn.labels.get(k)) - base) & 0xFFFFFFFFL;
      cases[k] = ((long) insn.keys.get(k) << 32) | target;
    }
    Arrays.sort(cases);
    for (long c : cases) {
      out.append(' ').append((int) (c >> 32)).append(":@").append((int) c);
    }
  }

  private int position(LabelNode label) {
    Integer position = positions.get(label);
    if (position == null) {
      throw new IllegalStateException(
          "label outside the instructions of " + method.name + method.desc);
    }
    return position;
  }

  /** Whether this instruction stores into a static field of {@code owner}. */
  static boolean isPutStatic(AbstractInsnNode insn, String owner) {
    return insn.getOpcode() == Opcodes.PUTSTATIC && ((FieldInsnNode) insn).owner.equals(owner);
  }
}
