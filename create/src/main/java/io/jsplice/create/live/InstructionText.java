package io.jsplice.create.live;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
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
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Instructions as text for comparison: equal text means the same behaviour. Labels are numbered in
 * order of appearance; line numbers and frames are skipped. One instance per comparison scope.
 *
 * <p>Built for one method ({@link #InstructionText(MethodNode)}), the text also leaves out what
 * differs only in how the source was laid out or spelled: labels nothing but line numbers and local
 * variable tables refer to (a statement split over two lines gains one), and a standard charset
 * looked up by its name ({@code Charset.forName("UTF-8")}), which is the very object its {@code
 * StandardCharsets} constant holds (the JDK's charset provider caches one instance of each).
 */
final class InstructionText {
  private static final String FOR_NAME = "forName(Ljava/lang/String;)Ljava/nio/charset/Charset;";
  private static final Set<String> STANDARD_CHARSETS =
      Set.of("UTF_8", "US_ASCII", "ISO_8859_1", "UTF_16", "UTF_16BE", "UTF_16LE");

  private final Map<LabelNode, Integer> labels = new IdentityHashMap<>();

  /** The labels that count; null: all of them. */
  private final Set<LabelNode> significant;

  /** Compares instructions as they are, every label included. */
  InstructionText() {
    this.significant = null;
  }

  /** Compares instructions of {@code method}, as the behaviour they give (class comment). */
  InstructionText(MethodNode method) {
    this.significant = DanglingLabels.used(method.instructions, method.tryCatchBlocks);
  }

  void append(AbstractInsnNode insn, StringBuilder out) {
    int op = insn.getOpcode();
    if (insn instanceof LabelNode label) {
      if (significant == null || significant.contains(label)) {
        out.append('L').append(label(label)).append(' ');
      }
      return;
    }
    if (op < 0) {
      return; // line numbers, frames
    }
    if (significant != null) {
      String charset = standardCharsetLookedUp(insn);
      if (charset != null) {
        out.append(Opcodes.GETSTATIC)
            .append(" java/nio/charset/StandardCharsets.")
            .append(charset)
            .append(":Ljava/nio/charset/Charset; ");
        return;
      }
      if (isCharsetLookup(insn) && standardCharsetLookedUp(previousInstruction(insn)) != null) {
        return; // appended with its name
      }
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

  /**
   * The {@code StandardCharsets} constant that {@code insn}, an {@code ldc} of its name right
   * before {@code Charset.forName}, amounts to with that call; null otherwise.
   */
  private String standardCharsetLookedUp(AbstractInsnNode insn) {
    if (!(insn instanceof LdcInsnNode ldc) || !(ldc.cst instanceof String name)) {
      return null;
    }
    AbstractInsnNode next = insn.getNext();
    while (next != null && leftOut(next)) {
      next = next.getNext();
    }
    String constant = name.toUpperCase(Locale.ROOT).replace('-', '_');
    return isCharsetLookup(next) && STANDARD_CHARSETS.contains(constant) ? constant : null;
  }

  private static boolean isCharsetLookup(AbstractInsnNode insn) {
    return insn instanceof MethodInsnNode m
        && m.getOpcode() == Opcodes.INVOKESTATIC
        && m.owner.equals("java/nio/charset/Charset")
        && (m.name + m.desc).equals(FOR_NAME);
  }

  private AbstractInsnNode previousInstruction(AbstractInsnNode insn) {
    AbstractInsnNode previous = insn.getPrevious();
    while (previous != null && leftOut(previous)) {
      previous = previous.getPrevious();
    }
    return previous;
  }

  /** Whether {@code insn} is no part of the text: a line number, a frame, a label of no jump. */
  private boolean leftOut(AbstractInsnNode insn) {
    return insn.getOpcode() < 0
        && !(insn instanceof LabelNode label
            && (significant == null || significant.contains(label)));
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
