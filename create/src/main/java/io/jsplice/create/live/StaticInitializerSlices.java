package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * A class's static initializer cut into statements, and for each static field the slice of
 * statements that computes its initial value.
 *
 * <p>A statement is a run of instructions that starts and ends with an empty operand stack (what a
 * Java statement compiles to). Statements joined by control flow (an {@code if} or a loop at
 * statement level, a {@code try} block) are merged into one, so every statement is single-entry,
 * single-exit and can be copied on its own. The slice of a field is the statements that assign it,
 * those that build values it is assigned from through local variables (a {@code static} block's
 * temporary set and every {@code add} to it), and those that mutate it in place after assigning.
 *
 * <p>Comparing a field's slice in the old and the new initializer tells whether its initial value
 * changed; copying the new slice elsewhere recomputes it without re-running the rest of the
 * initializer.
 */
final class StaticInitializerSlices {
  /** One statement: instruction indices [start, end) of the initializer. */
  record Statement(
      int start,
      int end,
      Set<String> reads,
      Set<String> writes,
      BitSet localsRead,
      BitSet localsWritten) {}

  private final ClassNode owner;
  private final MethodNode clinit; // may be null: no initializer
  private final List<Statement> statements;

  private StaticInitializerSlices(ClassNode owner, MethodNode clinit, List<Statement> statements) {
    this.owner = owner;
    this.clinit = clinit;
    this.statements = statements;
  }

  static StaticInitializerSlices of(ClassNode owner) {
    MethodNode clinit =
        owner.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
    if (clinit == null) {
      return new StaticInitializerSlices(owner, null, List.of());
    }
    return new StaticInitializerSlices(owner, clinit, cut(owner.name, clinit));
  }

  MethodNode clinit() {
    return clinit;
  }

  List<Statement> statements() {
    return statements;
  }

  /** Field keys ({@code name:desc}) of this class that the initializer assigns. */
  Set<String> assignedFields() {
    Set<String> out = new LinkedHashSet<>();
    statements.forEach(s -> out.addAll(s.writes()));
    return out;
  }

  /** The statements (in order) that compute {@code fieldKey}'s initial value; empty if none. */
  List<Statement> slice(String fieldKey) {
    Set<Statement> in = new LinkedHashSet<>();
    for (Statement s : statements) {
      if (s.writes().contains(fieldKey)) {
        in.add(s);
      }
    }
    if (in.isEmpty()) {
      return List.of();
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      BitSet locals = new BitSet();
      in.forEach(
          s -> {
            locals.or(s.localsRead());
            locals.or(s.localsWritten());
          });
      for (Statement s : statements) {
        if (in.contains(s)) {
          continue;
        }
        boolean touchesLocals =
            s.localsRead().intersects(locals) || s.localsWritten().intersects(locals);
        boolean mutatesField = s.reads().contains(fieldKey) && s.writes().isEmpty();
        if (touchesLocals || mutatesField) {
          in.add(s);
          grew = true;
        }
      }
    }
    return statements.stream().filter(in::contains).toList();
  }

  /** The slice's instructions as comparable text (labels numbered, debug info dropped). */
  String sliceText(String fieldKey) {
    StringBuilder out = new StringBuilder();
    InstructionText text = new InstructionText();
    for (Statement s : slice(fieldKey)) {
      for (int i = s.start(); i < s.end(); i++) {
        text.append(clinit.instructions.get(i), out);
      }
      out.append(";\n");
    }
    return out.toString();
  }

  /** Static fields of this class read anywhere in the slice. */
  Set<String> sliceReads(String fieldKey) {
    Set<String> out = new HashSet<>();
    slice(fieldKey).forEach(s -> out.addAll(s.reads()));
    return out;
  }

  private static List<Statement> cut(String className, MethodNode clinit) {
    InsnList insns = clinit.instructions;
    int n = insns.size();
    Frame<BasicValue>[] frames;
    try {
      frames = new Analyzer<>(new BasicInterpreter()).analyze(className, clinit);
    } catch (AnalyzerException e) {
      return List.of(whole(className, insns, 0, n));
    }
    List<Integer> boundaries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn.getOpcode() >= 0 && frames[i] != null && frames[i].getStackSize() == 0) {
        boundaries.add(firstOfRun(insns, i));
      }
    }
    boundaries.add(n);
    // statement index of every instruction
    int[] owner = new int[n];
    for (int b = 0; b + 1 < boundaries.size(); b++) {
      for (int i = boundaries.get(b); i < boundaries.get(b + 1); i++) {
        owner[i] = b;
      }
    }
    for (int i = 0; i < Math.min(n, boundaries.isEmpty() ? 0 : boundaries.get(0)); i++) {
      owner[i] = 0;
    }
    int[] mergedEnd = new int[boundaries.size()];
    for (int b = 0; b < mergedEnd.length; b++) {
      mergedEnd[b] = b;
    }
    for (int i = 0; i < n; i++) {
      for (LabelNode target : targets(insns.get(i))) {
        join(mergedEnd, owner[i], owner[insns.indexOf(target)]);
      }
    }
    for (TryCatchBlockNode block : clinit.tryCatchBlocks) {
      join(mergedEnd, owner[insns.indexOf(block.start)], owner[insns.indexOf(block.handler)]);
      join(mergedEnd, owner[insns.indexOf(block.start)], owner[insns.indexOf(block.end)]);
    }
    List<Statement> statements = new ArrayList<>();
    for (int b = 0; b + 1 < boundaries.size(); ) {
      int last = b;
      for (int k = b; k <= last; k++) {
        last = Math.max(last, mergedEnd[k]);
      }
      last = Math.min(last, boundaries.size() - 2);
      statements.add(whole(className, insns, boundaries.get(b), boundaries.get(last + 1)));
      b = last + 1;
    }
    return statements;
  }

  /** Labels and line numbers just before an instruction belong to its statement. */
  private static int firstOfRun(InsnList insns, int i) {
    int start = i;
    while (start > 0 && insns.get(start - 1).getOpcode() < 0) {
      start--;
    }
    return start;
  }

  private static void join(int[] mergedEnd, int a, int b) {
    int lo = Math.min(a, b);
    int hi = Math.max(a, b);
    for (int k = lo; k <= hi; k++) {
      mergedEnd[k] = Math.max(mergedEnd[k], hi);
    }
  }

  private static List<LabelNode> targets(AbstractInsnNode insn) {
    if (insn instanceof JumpInsnNode jump) {
      return List.of(jump.label);
    }
    if (insn instanceof TableSwitchInsnNode table) {
      List<LabelNode> out = new ArrayList<>(table.labels);
      out.add(table.dflt);
      return out;
    }
    if (insn instanceof LookupSwitchInsnNode lookup) {
      List<LabelNode> out = new ArrayList<>(lookup.labels);
      out.add(lookup.dflt);
      return out;
    }
    return List.of();
  }

  private static Statement whole(String className, InsnList insns, int start, int end) {
    Set<String> reads = new LinkedHashSet<>();
    Set<String> writes = new LinkedHashSet<>();
    BitSet localsRead = new BitSet();
    BitSet localsWritten = new BitSet();
    for (int i = start; i < end; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof FieldInsnNode f && f.owner.equals(className)) {
        if (insn.getOpcode() == Opcodes.GETSTATIC) {
          reads.add(f.name + ":" + f.desc);
        } else if (insn.getOpcode() == Opcodes.PUTSTATIC) {
          writes.add(f.name + ":" + f.desc);
        }
      } else if (insn instanceof VarInsnNode v) {
        boolean store = v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE;
        (store ? localsWritten : localsRead).set(v.var);
      } else if (insn instanceof IincInsnNode inc) {
        localsRead.set(inc.var);
        localsWritten.set(inc.var);
      }
    }
    return new Statement(start, end, reads, writes, localsRead, localsWritten);
  }
}
