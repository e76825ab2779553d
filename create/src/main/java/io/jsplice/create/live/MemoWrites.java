package io.jsplice.create.live;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Whether a library method leaves the objects it is given as they were but for memos: it writes no
 * static field and no array element, and writes an instance field only as a memo, a private field
 * of its own class on {@code this}, which it read from {@code this} before (a value computed on
 * first use and kept, as a {@code hashCode} is cached). The JDK methods it calls only read (as
 * {@code jdkReads} judges), build new objects, or work on a string builder. Library methods it
 * calls are judged the same way, as declared in the release (not as a subclass of the program's may
 * override them: the {@link SideEffectCheck}'s rule too).
 *
 * <p>An object given to such a method holds, after it, what it held before, or the same with a memo
 * filled in that it would compute on its first use anyway: no value read from it can differ.
 */
final class MemoWrites {
  private static final int MAX_DEPTH = 8;
  private static final Set<String> BUILDERS =
      Set.of("java/lang/StringBuilder", "java/lang/StringBuffer");

  /** A JDK method that only reads the objects it is given, by owner and name. */
  interface JdkReads {
    boolean onlyReads(String owner, String name);
  }

  private final Function<String, ClassNode> classes;
  private final JdkReads jdkReads;
  private final Map<String, Boolean> known = new HashMap<>();

  MemoWrites(Function<String, ClassNode> classes, JdkReads jdkReads) {
    this.classes = classes;
    this.jdkReads = jdkReads;
  }

  /** Whether calling the method writes nothing of what it is given but memos. */
  boolean onlyMemos(String owner, String name, String desc) {
    return call(owner, name, desc, 0);
  }

  private boolean call(String owner, String name, String desc, int depth) {
    if (owner.startsWith("java/") || owner.startsWith("javax/")) {
      return name.equals("<init>") || BUILDERS.contains(owner) || jdkReads.onlyReads(owner, name);
    }
    if (depth >= MAX_DEPTH) {
      return false;
    }
    String key = owner + "." + name + desc;
    Boolean verdict = known.get(key);
    if (verdict != null) {
      return verdict;
    }
    known.put(key, true); // recursion: assumed while the method is judged
    boolean result = false;
    for (ClassNode node = classes.apply(owner); node != null; ) {
      MethodNode m = find(node, name, desc);
      if (m != null) {
        result =
            (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && code(node, m, depth);
        break;
      }
      node = node.superName == null ? null : classes.apply(node.superName);
    }
    known.put(key, result);
    return result;
  }

  private boolean code(ClassNode owner, MethodNode m, int depth) {
    boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    Frame<SourceValue>[] frames = null;
    for (AbstractInsnNode insn : m.instructions) {
      int op = insn.getOpcode();
      if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE
          || op == Opcodes.PUTSTATIC
          || op == Opcodes.MONITORENTER
          || op == Opcodes.ASTORE && ((VarInsnNode) insn).var == 0 && instance) {
        return false;
      }
      if (insn instanceof InvokeDynamicInsnNode d
          && !d.bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
        return false;
      }
      if (insn instanceof MethodInsnNode c && !call(c.owner, c.name, c.desc, depth + 1)) {
        return false;
      }
      if (op == Opcodes.PUTFIELD) {
        if (!instance) {
          return false;
        }
        if (frames == null) {
          try {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, m);
          } catch (AnalyzerException e) {
            return false;
          }
        }
        if (!isMemo(owner, m, (FieldInsnNode) insn, frames[m.instructions.indexOf(insn)])) {
          return false;
        }
      }
    }
    return true;
  }

  /** A write of a private field of {@code owner} on {@code this}, read from {@code this} before. */
  private static boolean isMemo(
      ClassNode owner, MethodNode m, FieldInsnNode put, Frame<SourceValue> frame) {
    if (frame == null || !put.owner.equals(owner.name)) {
      return frame == null; // unreachable code writes nothing
    }
    FieldNode field =
        owner.fields.stream()
            .filter(f -> f.name.equals(put.name) && f.desc.equals(put.desc))
            .findFirst()
            .orElse(null);
    if (field == null
        || (field.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL))
            != Opcodes.ACC_PRIVATE) {
      return false;
    }
    for (AbstractInsnNode source : frame.getStack(frame.getStackSize() - 2).insns) {
      if (!(source instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0)) {
        return false;
      }
    }
    for (AbstractInsnNode insn = put.getPrevious(); insn != null; insn = insn.getPrevious()) {
      if (insn instanceof FieldInsnNode get
          && get.getOpcode() == Opcodes.GETFIELD
          && get.owner.equals(put.owner)
          && get.name.equals(put.name)
          && get.getPrevious() instanceof VarInsnNode v
          && v.getOpcode() == Opcodes.ALOAD
          && v.var == 0) {
        return true;
      }
    }
    return false;
  }

  private static MethodNode find(ClassNode node, String name, String desc) {
    for (MethodNode m : node.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }
}
