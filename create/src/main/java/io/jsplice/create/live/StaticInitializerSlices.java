package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * A class's static initializer cut into statements, and for each static field the slice of
 * statements that computes its initial value.
 *
 * <p>A statement is a run of instructions that starts and ends with an empty operand stack (what a
 * Java statement compiles to). Statements joined by control flow (an {@code if} or a loop at
 * statement level, a {@code try} block) are merged into one, so every statement is single-entry,
 * single-exit and can be copied on its own; a jump to the start of the statement that follows (past
 * a {@code catch} block, an {@code else}) is an exit and joins nothing to it. The slice of a field
 * is the statements that assign it, those that build values it is assigned from through local
 * variables (a {@code static} block's temporary set and every {@code add} to it), and those that
 * mutate it in place after assigning.
 *
 * <p>Statements are linked through local variables by what flows, not by slot: a statement depends
 * on another when a value the other stores in a local reaches a load in it (reaching definitions,
 * exception edges included). Compilers reuse slots for unrelated variables (the {@code e} of two
 * {@code catch} blocks), and a shared slot alone says nothing about the values.
 *
 * <p>Comparing a field's slice in the old and the new initializer tells whether its initial value
 * changed; copying the new slice elsewhere recomputes it without re-running the rest of the
 * initializer.
 */
final class StaticInitializerSlices {
  /**
   * One statement: instruction indices [start, end) of the initializer, and the static fields of
   * its class that it reads and writes ({@code name:desc}).
   */
  record Statement(int start, int end, Set<String> reads, Set<String> writes) {}

  private final ClassNode owner;
  private final MethodNode clinit; // may be null: no initializer
  private final List<Statement> statements;

  /**
   * Per statement, the other statements whose stores to locals reach a load in it; a statement
   * missing here uses no value of another.
   */
  private final Map<Statement, Set<Statement>> uses;

  private StaticInitializerSlices(
      ClassNode owner,
      MethodNode clinit,
      List<Statement> statements,
      Map<Statement, Set<Statement>> uses) {
    this.owner = owner;
    this.clinit = clinit;
    this.statements = statements;
    this.uses = uses;
  }

  static StaticInitializerSlices of(ClassNode owner) {
    MethodNode clinit =
        owner.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
    if (clinit == null) {
      return new StaticInitializerSlices(owner, null, List.of(), Map.of());
    }
    List<Statement> statements = cut(owner.name, clinit);
    return new StaticInitializerSlices(
        owner, clinit, statements, uses(owner.name, clinit, statements));
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
      for (Statement s : statements) {
        if (in.contains(s)) {
          continue;
        }
        // A value it stores flows into the slice, or it uses a value the slice made (and may
        // change the object that value is), or it may change the field's object in place.
        boolean feedsSlice = in.stream().anyMatch(t -> usesOf(t).contains(s));
        boolean usesSlice = usesOf(s).stream().anyMatch(in::contains);
        boolean mutatesField = s.reads().contains(fieldKey) && s.writes().isEmpty();
        if (feedsSlice || usesSlice || mutatesField) {
          in.add(s);
          grew = true;
        }
      }
    }
    return statements.stream().filter(in::contains).toList();
  }

  private Set<Statement> usesOf(Statement s) {
    return uses.getOrDefault(s, Set.of());
  }

  /** The slice's instructions as comparable text (labels numbered, debug info dropped). */
  String sliceText(String fieldKey) {
    StringBuilder out = new StringBuilder();
    InstructionText text = clinit == null ? new InstructionText() : new InstructionText(clinit);
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
        int to = insns.indexOf(target);
        if (owner[to] > owner[i] && startsStatement(insns, boundaries.get(owner[to]), to)) {
          // A jump forward to where a statement starts leaves the statements before it (the
          // goto over a catch block): that statement stays on its own.
          join(mergedEnd, owner[i], owner[to] - 1);
        } else {
          join(mergedEnd, owner[i], owner[to]);
        }
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

  /** Whether nothing but labels and line numbers lies from a statement's start to {@code at}. */
  private static boolean startsStatement(InsnList insns, int start, int at) {
    for (int k = start; k < at; k++) {
      if (insns.get(k).getOpcode() >= 0) {
        return false;
      }
    }
    return true;
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
    for (int i = start; i < end; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (insn instanceof FieldInsnNode f && f.owner.equals(className)) {
        if (insn.getOpcode() == Opcodes.GETSTATIC) {
          reads.add(f.name + ":" + f.desc);
        } else if (insn.getOpcode() == Opcodes.PUTSTATIC) {
          writes.add(f.name + ":" + f.desc);
        }
      }
    }
    return new Statement(start, end, reads, writes);
  }

  /**
   * Which statements each statement takes values from through locals: for every load (and {@code
   * iinc}, {@code ret}), the stores whose value reaches it. When the initializer cannot be
   * analysed, every statement is taken to use every other, which keeps slices whole.
   */
  private static Map<Statement, Set<Statement>> uses(
      String className, MethodNode clinit, List<Statement> statements) {
    InsnList insns = clinit.instructions;
    Statement[] of = new Statement[insns.size()];
    for (Statement s : statements) {
      for (int i = s.start(); i < s.end(); i++) {
        of[i] = s;
      }
    }
    Map<Statement, Set<Statement>> out = new HashMap<>();
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(className, clinit);
    } catch (AnalyzerException e) {
      statements.forEach(s -> out.put(s, new LinkedHashSet<>(statements)));
      return out;
    }
    for (int i = 0; i < insns.size(); i++) {
      int local = loadedLocal(insns.get(i));
      if (local < 0 || frames[i] == null || of[i] == null) {
        continue;
      }
      for (AbstractInsnNode store : frames[i].getLocal(local).insns) {
        Statement from = of[insns.indexOf(store)];
        if (from != null && from != of[i]) {
          out.computeIfAbsent(of[i], s -> new LinkedHashSet<>()).add(from);
        }
      }
    }
    return out;
  }

  /** The local an instruction reads, or -1. */
  private static int loadedLocal(AbstractInsnNode insn) {
    if (insn instanceof IincInsnNode inc) {
      return inc.var;
    }
    if (insn instanceof VarInsnNode v
        && ((v.getOpcode() >= Opcodes.ILOAD && v.getOpcode() <= Opcodes.ALOAD)
            || v.getOpcode() == Opcodes.RET)) {
      return v.var;
    }
    return -1;
  }
}
