package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.model.StaleState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
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
 * Decides which objects built before the update hold a field in the form the old release stored it,
 * where the fixed release stores another: a method other than a constructor (a setter, a
 * configuration method the program called at start) that both releases have, whose fixed version
 * stores into an instance field of its class a value computed otherwise than the old one did.
 * spring-context 5.3.19's {@code DataBinder.setDisallowedFields} stores the patterns lower-cased,
 * and its {@code isAllowed} lower-cases the field name before it matches them: a binder configured
 * before the update keeps its patterns as they were given, so after it a pattern with an upper case
 * letter matches nothing, and the binder lets through even the field it refused before.
 * Constructors are {@link ConstructionChanges}'s; a fix that only adds a check before the store
 * (the value stored is the same) is not named.
 *
 * <p>What a store puts is compared as the expression that computes it (the instructions the value
 * comes from, followed backwards through locals to the method's parameters); a value that is or
 * holds an object the method builds (an array it fills in a loop, a collection it adds to) is
 * compared as the whole method, which the update changes. Only objects on which the program called
 * the method hold the old form; jsplice cannot tell them from the others, so every object of the
 * class found on the heap counts.
 */
final class StoredValueChanges {
  /** The most expression nodes compared per value; beyond, the whole method is compared. */
  private static final int MOST_NODES = 200;

  private StoredValueChanges() {}

  /**
   * The objects of the class of {@code pre} (loaded) and {@code post} (fixed) that may hold a field
   * in the old form, or null when no method of both stores a field otherwise.
   */
  static StaleState staleObjects(ClassNode pre, ClassNode post) {
    if ((pre.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0) {
      return null;
    }
    Set<String> fields = new TreeSet<>();
    for (FieldNode f : pre.fields) {
      if ((f.access & Opcodes.ACC_STATIC) == 0
          && post.fields.stream()
              .anyMatch(
                  g ->
                      g.name.equals(f.name)
                          && g.desc.equals(f.desc)
                          && (g.access & Opcodes.ACC_STATIC) == 0)
          && readIn(post, f.name)) {
        fields.add(f.name);
      }
    }
    if (fields.isEmpty()) {
      return null;
    }
    Map<String, Set<String>> changed = new TreeMap<>();
    for (MethodNode old : pre.methods) {
      if (old.name.startsWith("<") || (old.access & Opcodes.ACC_STATIC) != 0) {
        continue;
      }
      MethodNode fixed =
          post.methods.stream()
              .filter(m -> m.name.equals(old.name) && m.desc.equals(old.desc))
              .findFirst()
              .orElse(null);
      if (fixed == null || (fixed.access & Opcodes.ACC_STATIC) != 0) {
        continue;
      }
      Map<String, List<String>> before = stores(pre.name, old, fields);
      if (before.size() != 1 || readsOwnFields(pre.name, old)) {
        continue; // no setter: it keeps other state of the object too, or works on what it holds
      }
      Map<String, List<String>> after = stores(post.name, fixed, fields);
      for (var e : before.entrySet()) {
        List<String> now = after.get(e.getKey());
        // a value computed from what the caller passed that the fixed setter no longer stores
        if (now != null
            && e.getValue().stream()
                .anyMatch(v -> v.contains("arg") && !v.startsWith("method ") && !now.contains(v))
            && readByChangedCode(pre, post, e.getKey(), old.name + old.desc)) {
          changed.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(old.name + old.desc);
        }
      }
    }
    if (changed.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    changed.forEach((field, by) -> parts.add(field + " (by " + String.join(", ", by) + ")"));
    return new StaleState(
        StaleState.Kind.OBJECTS,
        dotted(pre.name),
        null,
        "the fixed release stores another value into "
            + String.join(", ", parts)
            + " than the old one did: objects on which the program called the old code keep the"
            + " old form, which the fixed code may read otherwise");
  }

  /** Whether {@code method} reads a field of its own class. */
  private static boolean readsOwnFields(String owner, MethodNode method) {
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.GETFIELD
          && f.owner.equals(owner)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a method other than {@code setter} that both releases have, and whose code the update
   * changes, reads the field {@code name}: itself, or through a method of the class that returns it
   * (a getter). A reader that changed with the setter may read the stored form otherwise.
   */
  private static boolean readByChangedCode(
      ClassNode pre, ClassNode post, String name, String setter) {
    Set<String> getters = new TreeSet<>();
    for (MethodNode m : post.methods) {
      AbstractInsnNode[] code =
          java.util.Arrays.stream(m.instructions.toArray())
              .filter(i -> i.getOpcode() >= 0)
              .toArray(AbstractInsnNode[]::new);
      if (code.length == 3
          && code[0].getOpcode() == Opcodes.ALOAD
          && ((VarInsnNode) code[0]).var == 0
          && code[1] instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.GETFIELD
          && f.name.equals(name)
          && code[2].getOpcode() >= Opcodes.IRETURN
          && code[2].getOpcode() <= Opcodes.ARETURN) {
        getters.add(m.name + m.desc);
      }
    }
    for (MethodNode m : post.methods) {
      String key = m.name + m.desc;
      if (key.equals(setter) || getters.contains(key)) {
        continue;
      }
      boolean reads = false;
      for (AbstractInsnNode insn : m.instructions) {
        if ((insn instanceof FieldInsnNode f
                && f.getOpcode() == Opcodes.GETFIELD
                && f.owner.equals(post.name)
                && f.name.equals(name))
            || (insn instanceof MethodInsnNode call
                && call.owner.equals(post.name)
                && getters.contains(call.name + call.desc))) {
          reads = true;
          break;
        }
      }
      if (!reads) {
        continue;
      }
      MethodNode before =
          pre.methods.stream().filter(x -> (x.name + x.desc).equals(key)).findFirst().orElse(null);
      if (before != null && !whole(before).equals(whole(m))) {
        return true;
      }
    }
    return false;
  }

  private static String whole(MethodNode m) {
    StringBuilder out = new StringBuilder();
    InstructionText t = new InstructionText(m);
    m.instructions.forEach(i -> t.append(i, out));
    return out.toString();
  }

  /** Whether a method of {@code node} reads its own field {@code name}. */
  private static boolean readIn(ClassNode node, String name) {
    for (MethodNode m : node.methods) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof FieldInsnNode f
            && f.getOpcode() == Opcodes.GETFIELD
            && f.owner.equals(node.name)
            && f.name.equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Per field of {@code fields}, the values {@code method} stores into it on its own objects, each
   * as the text of its expression, sorted.
   */
  private static Map<String, List<String>> stores(
      String owner, MethodNode method, Set<String> fields) {
    Map<String, List<String>> out = new TreeMap<>();
    Frame<SourceValue>[] frames = null;
    InsnList insns = method.instructions;
    for (AbstractInsnNode insn : insns) {
      if (!(insn instanceof FieldInsnNode f)
          || f.getOpcode() != Opcodes.PUTFIELD
          || !f.owner.equals(owner)
          || !fields.contains(f.name)) {
        continue;
      }
      if (frames == null) {
        frames = frames(owner, method);
        if (frames == null) {
          return Map.of(); // not followed
        }
      }
      Frame<SourceValue> frame = frames[insns.indexOf(insn)];
      if (frame == null) {
        continue; // unreachable
      }
      // each value the store may put, alone: a conditional expression stores what an if and
      // an else that each store do
      SourceValue stored = frame.getStack(frame.getStackSize() - 1);
      for (AbstractInsnNode source : stored.insns) {
        Expression e = new Expression(method, frames);
        e.value(new SourceValue(stored.size, source));
        out.computeIfAbsent(f.name, k -> new ArrayList<>()).add(e.text());
      }
    }
    out.replaceAll((k, v) -> List.copyOf(new TreeSet<>(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Frame<SourceValue>[] frames(String owner, MethodNode method) {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
    } catch (AnalyzerException e) {
      return null;
    }
  }

  /** The text of one stored value's expression. */
  private static final class Expression {
    private final MethodNode method;
    private final Frame<SourceValue>[] frames;
    private final InstructionText text;
    private final StringBuilder out = new StringBuilder();
    private final Set<AbstractInsnNode> open =
        Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int nodes;
    private boolean whole;

    Expression(MethodNode method, Frame<SourceValue>[] frames) {
      this.method = method;
      this.frames = frames;
      this.text = new InstructionText(method);
    }

    String text() {
      if (!whole) {
        return out.toString();
      }
      StringBuilder all = new StringBuilder("method ");
      InstructionText t = new InstructionText(method);
      method.instructions.forEach(i -> t.append(i, all));
      return all.toString();
    }

    void value(SourceValue v) {
      if (v.insns.isEmpty()) {
        out.append("arg ");
        return;
      }
      List<AbstractInsnNode> sources = new ArrayList<>(v.insns);
      sources.sort((a, b) -> method.instructions.indexOf(a) - method.instructions.indexOf(b));
      out.append(sources.size() > 1 ? "( " : "");
      for (AbstractInsnNode s : sources) {
        node(s);
        out.append(sources.size() > 1 ? "| " : "");
      }
      out.append(sources.size() > 1 ? ") " : "");
    }

    private void node(AbstractInsnNode insn) {
      if (whole || ++nodes > MOST_NODES) {
        whole = true;
        return;
      }
      int op = insn.getOpcode();
      if (op == Opcodes.NEW
          || op == Opcodes.NEWARRAY
          || op == Opcodes.ANEWARRAY
          || op == Opcodes.MULTIANEWARRAY) {
        whole = true; // an object the method builds, and may fill after
        return;
      }
      if (!open.add(insn)) {
        out.append("loop ");
        return;
      }
      Frame<SourceValue> frame = frames[method.instructions.indexOf(insn)];
      if (insn instanceof VarInsnNode var && op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
        SourceValue local = frame.getLocal(var.var);
        if (local.insns.isEmpty()) {
          boolean self = var.var == 0 && (method.access & Opcodes.ACC_STATIC) == 0;
          out.append(self ? "this " : "arg" + var.var + " ");
        } else {
          value(local);
        }
      } else if (insn instanceof VarInsnNode var && op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
        value(frame.getStack(frame.getStackSize() - 1));
      } else if (insn instanceof IincInsnNode iinc) {
        out.append("iinc ").append(iinc.incr).append(' ');
        value(frame.getLocal(iinc.var));
      } else {
        text.append(insn, out);
        int n = Math.min(operands(insn, frame), frame.getStackSize());
        if (n > 0) {
          out.append("( ");
          for (int i = frame.getStackSize() - n; i < frame.getStackSize(); i++) {
            value(frame.getStack(i));
          }
          out.append(") ");
        }
      }
      open.remove(insn);
    }

    /** How many stack values {@code insn} consumes; the whole stack where not known exactly. */
    private static int operands(AbstractInsnNode insn, Frame<SourceValue> f) {
      int op = insn.getOpcode();
      if (insn instanceof MethodInsnNode call) {
        int n = org.objectweb.asm.Type.getArgumentTypes(call.desc).length;
        return op == Opcodes.INVOKESTATIC ? n : n + 1;
      }
      if (insn instanceof InvokeDynamicInsnNode d) {
        return org.objectweb.asm.Type.getArgumentTypes(d.desc).length;
      }
      if (insn instanceof FieldInsnNode) {
        return switch (op) {
          case Opcodes.GETSTATIC -> 0;
          case Opcodes.PUTSTATIC, Opcodes.GETFIELD -> 1;
          default -> 2;
        };
      }
      if ((op >= Opcodes.ACONST_NULL && op <= Opcodes.LDC) || op == Opcodes.NEW) {
        return 0;
      }
      if (op == Opcodes.ARRAYLENGTH
          || op == Opcodes.CHECKCAST
          || op == Opcodes.INSTANCEOF
          || op == Opcodes.DUP
          || (op >= Opcodes.INEG && op <= Opcodes.DNEG)
          || (op >= Opcodes.I2L && op <= Opcodes.I2S)) {
        return 1;
      }
      return f.getStackSize();
    }
  }
}
