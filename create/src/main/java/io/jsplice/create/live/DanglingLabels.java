package io.jsplice.create.live;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Code that jumps to, or guards with, a label it does not contain: a planner copied instructions
 * without their target (h2 2.3.230's {@code SetTypes.<clinit>}: an assert copied without the label
 * after it). ASM's frame computation fails on such code with a bare NullPointerException; {@link
 * #check} names the class and method instead, before any class file is written.
 */
final class DanglingLabels {
  private DanglingLabels() {}

  /** Throws, naming the method, if a method of {@code node} uses a label it does not contain. */
  static void check(ClassNode node) {
    for (MethodNode m : node.methods) {
      if (!missing(m.instructions, m.tryCatchBlocks == null ? List.of() : m.tryCatchBlocks)
          .isEmpty()) {
        throw new IllegalStateException(
            "jsplice wrote code for "
                + node.name.replace('/', '.')
                + "."
                + m.name
                + m.desc
                + " that jumps to or guards with a label the method does not contain");
      }
    }
  }

  /** The labels {@code code} and {@code blocks} jump to or guard with that {@code code} lacks. */
  static Set<LabelNode> missing(InsnList code, List<TryCatchBlockNode> blocks) {
    Set<LabelNode> out = used(code, blocks);
    for (AbstractInsnNode insn : code) {
      if (insn instanceof LabelNode l) {
        out.remove(l);
      }
    }
    return out;
  }

  /**
   * The labels {@code code} jumps or switches to and {@code blocks} (may be null) guard with: those
   * that matter to what the code does, unlike labels only line numbers and local variable tables
   * refer to.
   */
  static Set<LabelNode> used(InsnList code, List<TryCatchBlockNode> blocks) {
    Set<LabelNode> used = new HashSet<>();
    for (AbstractInsnNode insn : code) {
      if (insn instanceof JumpInsnNode j) {
        used.add(j.label);
      } else if (insn instanceof TableSwitchInsnNode t) {
        used.add(t.dflt);
        used.addAll(t.labels);
      } else if (insn instanceof LookupSwitchInsnNode l) {
        used.add(l.dflt);
        used.addAll(l.labels);
      }
    }
    if (blocks != null) {
      for (TryCatchBlockNode b : blocks) {
        used.add(b.start);
        used.add(b.end);
        used.add(b.handler);
      }
    }
    return used;
  }
}
