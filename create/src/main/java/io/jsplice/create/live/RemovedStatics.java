package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Static fields the fixed release removes stay in the class for old callers (a loaded class keeps
 * its fields), and so does the code of removed methods that reads them. A loaded class has them set
 * already; a class that loads after the update runs the fixed static initializer, which no longer
 * sets them, so old callers would read null. The installed initializer therefore ends with the old
 * initializer's statements for those fields, when they assign nothing else.
 */
final class RemovedStatics {
  private RemovedStatics() {}

  /**
   * Appends the old initialization of removed static fields to {@code installed}'s static
   * initializer; returns what the operator should know (empty if nothing was removed).
   */
  static List<String> keepInitializers(
      ClassNode installed, ClassNode pre, SchemaComparison schema) {
    Set<String> removed = new LinkedHashSet<>();
    for (Map.Entry<String, FieldNode> e : schema.removedFields.entrySet()) {
      FieldNode f = e.getValue();
      if ((f.access & Opcodes.ACC_STATIC) != 0 && f.value == null) {
        removed.add(e.getKey());
      }
    }
    if (removed.isEmpty()) {
      return List.of();
    }
    StaticInitializerSlices slices = StaticInitializerSlices.of(pre);
    Set<StaticInitializerSlices.Statement> statements = new LinkedHashSet<>();
    for (String key : removed) {
      statements.addAll(slices.slice(key));
    }
    if (statements.isEmpty()) {
      return List.of();
    }
    for (StaticInitializerSlices.Statement s : statements) {
      if (!removed.containsAll(s.writes())) {
        return List.of(
            "removed static fields "
                + removed
                + " keep their values where the class is loaded; a JVM that loads "
                + dotted(pre.name)
                + " after the update leaves them unset (their old initializer also sets other"
                + " fields)");
      }
    }
    MethodNode clinit =
        installed.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
    if (clinit == null) {
      return List.of(); // the class had no initializer: nothing to keep
    }
    List<AbstractInsnNode> returns = new ArrayList<>();
    for (AbstractInsnNode insn : clinit.instructions) {
      if (insn.getOpcode() == Opcodes.RETURN) {
        returns.add(insn);
      }
    }
    if (returns.size() != 1) {
      return List.of();
    }
    MethodNode source = slices.clinit();
    Map<LabelNode, LabelNode> labels = new HashMap<>();
    for (AbstractInsnNode insn : source.instructions) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
    }
    InsnList copy = new InsnList();
    List<TryCatchBlockNode> blocks = new ArrayList<>();
    for (StaticInitializerSlices.Statement s :
        statements.stream().sorted((a, b) -> Integer.compare(a.start(), b.start())).toList()) {
      for (int i = s.start(); i < s.end(); i++) {
        AbstractInsnNode insn = source.instructions.get(i);
        if (!(insn instanceof FrameNode)) {
          add(copy, insn.clone(labels));
        }
      }
      // A statement that jumps past its own end (an assert, an if without else) jumps to the
      // label that follows it, which belongs to the next statement: it comes along.
      for (int i = s.end(); i < source.instructions.size(); i++) {
        AbstractInsnNode insn = source.instructions.get(i);
        if (insn.getOpcode() >= 0) {
          break;
        }
        if (insn instanceof LabelNode) {
          add(copy, insn.clone(labels));
        }
      }
      for (TryCatchBlockNode b : source.tryCatchBlocks) {
        int start = source.instructions.indexOf(b.start);
        if (start >= s.start() && start < s.end()) {
          blocks.add(
              new TryCatchBlockNode(
                  labels.get(b.start), labels.get(b.end), labels.get(b.handler), b.type));
        }
      }
    }
    if (!DanglingLabels.missing(copy, blocks).isEmpty()) {
      return List.of(
          "removed static fields "
              + removed
              + " keep their values where the class is loaded; a JVM that loads "
              + dotted(pre.name)
              + " after the update leaves them unset (their old initializer jumps out of the"
              + " statements that set them)");
    }
    clinit.instructions.insertBefore(returns.get(0), copy);
    clinit.tryCatchBlocks.addAll(blocks);
    for (AbstractInsnNode insn : clinit.instructions.toArray()) {
      if (insn instanceof FrameNode) {
        clinit.instructions.remove(insn);
      }
    }
    clinit.maxLocals = Math.max(clinit.maxLocals, source.maxLocals);
    clinit.maxStack = Math.max(clinit.maxStack, source.maxStack);
    return List.of(
        "removed static fields "
            + removed
            + " stay for old callers; a JVM that loads "
            + dotted(pre.name)
            + " after the update initializes them as the old release did");
  }

  /** Adds {@code insn}, unless it is a label already there (statements may share one). */
  private static void add(InsnList code, AbstractInsnNode insn) {
    if (!(insn instanceof LabelNode) || !code.contains(insn)) {
      code.add(insn);
    }
  }
}
