package io.jsplice.create.live;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Instructions as text for comparison: equal text means the same behaviour. Labels are numbered in
 * order of appearance; line numbers and frames are skipped. One instance per comparison scope.
 */
final class InstructionText {
  private final Map<LabelNode, Integer> labels = new IdentityHashMap<>();

  void append(AbstractInsnNode insn, StringBuilder out) {
    int op = insn.getOpcode();
    if (insn instanceof LabelNode label) {
      out.append('L').append(label(label)).append(' ');
      return;
    }
    if (op < 0) {
      return; // line numbers, frames
    }
    out.append(op);
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
    } else if (insn instanceof InvokeDynamicInsnNode d) {
      out.append(' ').append(d.name).append(d.desc).append(' ').append(constant(d.bsm));
      out.append(Arrays.stream(d.bsmArgs).map(InstructionText::constant).toList());
    } else if (insn instanceof JumpInsnNode j) {
      out.append(" L").append(label(j.label));
    } else if (insn instanceof LdcInsnNode l) {
      out.append(' ').append(constant(l.cst));
    } else if (insn instanceof IincInsnNode i) {
      out.append(' ').append(i.var).append(' ').append(i.incr);
    } else if (insn instanceof TableSwitchInsnNode t) {
      out.append(' ').append(t.min).append(' ').append(t.max).append(" L").append(label(t.dflt));
      t.labels.forEach(l -> out.append(" L").append(label(l)));
    } else if (insn instanceof LookupSwitchInsnNode l) {
      out.append(" L").append(label(l.dflt)).append(' ').append(l.keys);
      l.labels.forEach(x -> out.append(" L").append(label(x)));
    } else if (insn instanceof MultiANewArrayInsnNode m) {
      out.append(' ').append(m.desc).append(' ').append(m.dims);
    } else if (!(insn instanceof InsnNode)) {
      out.append(' ').append(insn.getClass().getSimpleName());
    }
    out.append(' ');
  }

  private int label(LabelNode label) {
    return labels.computeIfAbsent(label, l -> labels.size());
  }

  private static String constant(Object value) {
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    if (value instanceof Type t) {
      return t.getDescriptor();
    }
    if (value instanceof Handle h) {
      return h.getTag() + ":" + h.getOwner() + "." + h.getName() + h.getDesc();
    }
    return value + ":" + (value == null ? "" : value.getClass().getSimpleName());
  }
}
