package io.jsplice.create.live;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Where a constructor's parameters go: the fields of the object it builds that they may reach,
 * through locals, computations, objects built from them and stores under branches on them. Used
 * when a changed constructor differs only in what it passes to {@code this(...)}: only these fields
 * of the delegate can differ. Forward code only; anything it cannot follow gives up.
 */
final class ParameterFlow {
  private final String owner;

  /**
   * @param owner internal name of the constructor's class
   */
  ParameterFlow(String owner) {
    this.owner = owner;
  }

  /**
   * The object's fields a constructor may set from its parameters: what their values flow into
   * (through locals, computations, objects built from them), what is stored under a branch on them.
   * Null when they may reach the object otherwise (passed to a method with the object, stored in
   * another object, a loop).
   */
  Set<String> fields(MethodNode m) {
    if (m == null) {
      return null;
    }
    Frame<SourceValue>[] frames = frames(m);
    InsnList insns = m.instructions;
    if (frames == null) {
      return null;
    }
    Set<Integer> params = new java.util.HashSet<>();
    int slot = 1;
    for (org.objectweb.asm.Type t : org.objectweb.asm.Type.getArgumentTypes(m.desc)) {
      params.add(slot);
      slot += t.getSize();
    }
    for (int k = 0; k < insns.size(); k++) {
      AbstractInsnNode insn = insns.get(k);
      if (insn instanceof VarInsnNode v && v.var == 0 && v.getOpcode() == Opcodes.ASTORE) {
        return null;
      }
      for (LabelNode target : ConstructionChanges.targets(insn)) {
        if (insns.indexOf(target) <= k) {
          return null;
        }
      }
    }
    boolean[] tainted = new boolean[insns.size()];
    Set<String> fields = new TreeSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (int k = 0; k < insns.size(); k++) {
        Frame<SourceValue> f = frames[k];
        AbstractInsnNode insn = insns.get(k);
        if (tainted[k] || f == null || insn.getOpcode() < 0) {
          continue;
        }
        if (!reads(insns, insn, f, params, tainted, fields)) {
          continue;
        }
        tainted[k] = true;
        grew = true;
        if (!spread(m, frames, insn, k, f, tainted, fields)) {
          return null;
        }
      }
    }
    return fields;
  }

  /** Whether the instruction reads a value computed from the parameters. */
  private boolean reads(
      InsnList insns,
      AbstractInsnNode insn,
      Frame<SourceValue> f,
      Set<Integer> params,
      boolean[] tainted,
      Set<String> fields) {
    if (insn instanceof VarInsnNode v && v.getOpcode() < Opcodes.ISTORE) {
      return params.contains(v.var) || any(f.getLocal(v.var), tainted, insns);
    }
    if (insn.getOpcode() == Opcodes.IINC) {
      return any(f.getLocal(((org.objectweb.asm.tree.IincInsnNode) insn).var), tainted, insns);
    }
    if (insn instanceof FieldInsnNode g
        && g.getOpcode() == Opcodes.GETFIELD
        && g.owner.equals(owner)
        && fields.contains(g.name)) {
      return true;
    }
    int n = operands(insn, f);
    for (int s = f.getStackSize() - n; s < f.getStackSize(); s++) {
      if (any(f.getStack(s), tainted, insns)) {
        return true;
      }
    }
    return false;
  }

  private static boolean any(SourceValue value, boolean[] tainted, InsnList insns) {
    for (AbstractInsnNode p : value.insns) {
      int i = insns.indexOf(p);
      if (i >= 0 && tainted[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Follows a tainted instruction's effect: a field it stores, the objects a call it makes may
   * change, what runs under a branch it decides. False when the object may be reached otherwise.
   */
  private boolean spread(
      MethodNode m,
      Frame<SourceValue>[] frames,
      AbstractInsnNode insn,
      int k,
      Frame<SourceValue> f,
      boolean[] tainted,
      Set<String> fields) {
    InsnList insns = m.instructions;
    int op = insn.getOpcode();
    if (insn instanceof FieldInsnNode p && op == Opcodes.PUTFIELD) {
      if (!p.owner.equals(owner) || !isSelf(f.getStack(f.getStackSize() - 2))) {
        return false; // stored in another object
      }
      fields.add(p.name);
      return true;
    }
    if (op == Opcodes.PUTSTATIC || op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
      return false;
    }
    if (insn instanceof MethodInsnNode || insn instanceof InvokeDynamicInsnNode) {
      return followCall(insns, frames, insn, f, tainted, fields);
    }
    List<LabelNode> targets = ConstructionChanges.targets(insn);
    if (insn instanceof JumpInsnNode && op != Opcodes.GOTO
        || !targets.isEmpty() && op != Opcodes.GOTO) {
      int end = k;
      for (LabelNode t : targets) {
        end = Math.max(end, insns.indexOf(t));
      }
      for (int i = k + 1; i < end; i++) {
        for (LabelNode t : ConstructionChanges.targets(insns.get(i))) {
          end = Math.max(end, insns.indexOf(t));
        }
      }
      for (int i = k + 1; i < end; i++) {
        tainted[i] = true; // what the branch decides: every value computed under it
        AbstractInsnNode under = insns.get(i);
        if (under instanceof FieldInsnNode p && p.getOpcode() == Opcodes.PUTFIELD) {
          if (!p.owner.equals(owner)) {
            return false;
          }
          fields.add(p.name);
        } else if ((under instanceof MethodInsnNode || under instanceof InvokeDynamicInsnNode)
            && frames[i] != null) {
          if (!followCall(insns, frames, under, frames[i], tainted, fields)) {
            return false;
          }
        } else if (under.getOpcode() == Opcodes.PUTSTATIC
            || under.getOpcode() >= Opcodes.IASTORE && under.getOpcode() <= Opcodes.SASTORE) {
          return false; // a store it decides elsewhere: followed no further
        }
      }
    }
    return true;
  }

  /**
   * A call that runs on values computed from the parameters: the objects it is given may change.
   * False when the object being built is one of them.
   */
  private boolean followCall(
      InsnList insns,
      Frame<SourceValue>[] frames,
      AbstractInsnNode call,
      Frame<SourceValue> f,
      boolean[] tainted,
      Set<String> fields) {
    int n = operands(call, f);
    for (int s = f.getStackSize() - n; s < f.getStackSize(); s++) {
      for (AbstractInsnNode p : f.getStack(s).insns) {
        if (p instanceof VarInsnNode v && v.var == 0) {
          return false; // the object goes into the call
        }
        if (p instanceof FieldInsnNode g && g.getOpcode() == Opcodes.GETFIELD) {
          if (!g.owner.equals(owner)) {
            return false;
          }
          fields.add(g.name); // an object the field holds may change
        }
        if ((p instanceof MethodInsnNode || p instanceof InvokeDynamicInsnNode)
            && readsSelf(insns, frames, p)) {
          return false; // an object the call got from the object being built
        }
        markWithSources(insns, frames, p, tainted);
      }
    }
    return true;
  }

  /** Whether a call's operands include the object being built or one of its fields. */
  private static boolean readsSelf(
      InsnList insns, Frame<SourceValue>[] frames, AbstractInsnNode call) {
    Frame<SourceValue> f = frames[insns.indexOf(call)];
    if (f == null) {
      return true;
    }
    int n = operands(call, f);
    for (int s = f.getStackSize() - n; s < f.getStackSize(); s++) {
      for (AbstractInsnNode p : f.getStack(s).insns) {
        if (p instanceof VarInsnNode v && v.var == 0 || p instanceof FieldInsnNode) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Marks an instruction and what it copies: through {@code dup} the {@code new} whose object it
   * is, through a local's load the stores that gave the local its value.
   */
  private static void markWithSources(
      InsnList insns, Frame<SourceValue>[] frames, AbstractInsnNode p, boolean[] tainted) {
    int i = insns.indexOf(p);
    if (tainted[i] || frames[i] == null) {
      tainted[i] = true;
      return;
    }
    tainted[i] = true;
    Frame<SourceValue> f = frames[i];
    if (p.getOpcode() == Opcodes.DUP) {
      for (AbstractInsnNode source : f.getStack(f.getStackSize() - 1).insns) {
        markWithSources(insns, frames, source, tainted);
      }
    } else if (p instanceof VarInsnNode v && v.getOpcode() < Opcodes.ISTORE) {
      for (AbstractInsnNode store : f.getLocal(v.var).insns) {
        markWithSources(insns, frames, store, tainted);
      }
    }
  }

  static boolean isSelf(SourceValue value) {
    if (value.insns.isEmpty()) {
      return false;
    }
    for (AbstractInsnNode p : value.insns) {
      if (!(p instanceof VarInsnNode v && v.var == 0 && v.getOpcode() == Opcodes.ALOAD)) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many stack values the instruction consumes: exact for calls and fields, the whole stack (an
   * over-approximation) for the rest.
   */
  private static int operands(AbstractInsnNode insn, Frame<SourceValue> f) {
    if (insn instanceof MethodInsnNode call) {
      int n = org.objectweb.asm.Type.getArgumentTypes(call.desc).length;
      return call.getOpcode() == Opcodes.INVOKESTATIC ? n : n + 1;
    }
    if (insn instanceof InvokeDynamicInsnNode d) {
      return org.objectweb.asm.Type.getArgumentTypes(d.desc).length;
    }
    if (insn instanceof FieldInsnNode g) {
      return switch (g.getOpcode()) {
        case Opcodes.GETSTATIC -> 0;
        case Opcodes.PUTSTATIC, Opcodes.GETFIELD -> 1;
        default -> 2;
      };
    }
    return f.getStackSize();
  }

  @SuppressWarnings("unchecked")
  private Frame<SourceValue>[] frames(MethodNode method) {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
    } catch (AnalyzerException e) {
      return null; // not followed
    }
  }
}
