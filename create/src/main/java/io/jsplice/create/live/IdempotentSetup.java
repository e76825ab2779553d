package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Decides from its bytecode whether a setup method (one a constructor calls on the object it
 * builds) can be run again on an object built long ago, and what it then does.
 *
 * <p>It can when running it twice leaves the object as running it once does, whatever the program
 * did with the object in between: every field it assigns gets a value computed from constants only
 * (literals, static final fields, fields only constructors assign, pure calls on such values; never
 * a field setup code assigns, which would make the second run depend on the first), and nothing but
 * constructors and setup methods assigns that field; and it changes what the object's fields hold
 * only by adding constant values to sets ({@code add}, {@code addAll}) or absent keys to maps
 * ({@code putIfAbsent}), which adds nothing the second time. It calls only methods of the object
 * that cannot be overridden (which must follow the same rules), pure JDK and library code ({@link
 * SideEffectCheck}), and never hands the object to other code. Branches test constants only.
 */
final class IdempotentSetup {
  private static final int MAX_DEPTH = 6;
  private static final Set<String> SETS =
      Set.of(
          "java/util/Set",
          "java/util/HashSet",
          "java/util/LinkedHashSet",
          "java/util/TreeSet",
          "java/util/SortedSet",
          "java/util/NavigableSet",
          "java/util/concurrent/CopyOnWriteArraySet",
          "java/util/concurrent/ConcurrentSkipListSet");
  private static final Set<String> MAPS =
      Set.of(
          "java/util/Map",
          "java/util/HashMap",
          "java/util/LinkedHashMap",
          "java/util/TreeMap",
          "java/util/SortedMap",
          "java/util/NavigableMap",
          "java/util/concurrent/ConcurrentMap",
          "java/util/concurrent/ConcurrentHashMap");

  /**
   * What a setup method does to its object.
   *
   * @param assigned the fields it assigns
   * @param added the fields whose sets or maps it adds to
   * @param effects each assignment and addition as text (field, call, constant arguments), to
   *     compare two versions of the method
   */
  record Effects(Set<String> assigned, Set<String> added, Set<String> effects) {
    /** Every field it touches, sorted. */
    List<String> fields() {
      Set<String> all = new TreeSet<>(assigned);
      all.addAll(added);
      return List.copyOf(all);
    }
  }

  /** The outcome: the effects, or why the method cannot be run again (then effects is null). */
  record Result(Effects effects, String problem) {
    boolean idempotent() {
      return effects != null;
    }
  }

  private final ClassNode owner;
  private final SideEffectCheck pure;
  private final Predicate<String> fixedField;
  private final Predicate<String> setupField;

  /**
   * @param owner the class declaring the setup method (the old or the new version)
   * @param pure judges calls into the JDK and the library
   * @param fixedField whether a field of the owner (by name) is assigned by constructors only, so
   *     that it still holds what the constructor gave it: reading it reads a constant
   * @param setupField whether a field is assigned by constructors and setup methods only, so that
   *     the program cannot have changed it: a setup method may assign it again
   */
  IdempotentSetup(
      ClassNode owner,
      SideEffectCheck pure,
      Predicate<String> fixedField,
      Predicate<String> setupField) {
    this.owner = owner;
    this.pure = pure;
    this.fixedField = fixedField;
    this.setupField = setupField;
  }

  /** Analyzes a setup method of the owner by its key ({@code name+desc}). */
  Result analyze(String key) {
    MethodNode m = method(key);
    if (m == null) {
      return new Result(null, "the class has no method " + key);
    }
    if ((m.access & Opcodes.ACC_STATIC) != 0 || !m.desc.equals("()V")) {
      return new Result(null, key + " takes arguments or is static");
    }
    Effects effects = new Effects(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    String problem = analyze(m, false, effects, 0, new HashSet<>());
    if (problem != null) {
      return new Result(null, problem);
    }
    for (String f : effects.assigned()) {
      if (!setupField.test(f)) {
        return new Result(
            null, key + " assigns " + f + ", which other code assigns too (the program may have)");
      }
    }
    return new Result(effects, null);
  }

  private String analyze(
      MethodNode m, boolean constantParameters, Effects effects, int depth, Set<String> path) {
    String key = m.name + m.desc;
    if (depth > MAX_DEPTH || !path.add(key)) {
      return "calls itself or too deeply (" + key + ")";
    }
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, m);
    } catch (AnalyzerException e) {
      return "cannot analyze " + key + ": " + e.getMessage();
    }
    Values values = new Values(m, frames, constantParameters);
    for (int i = 0; i < m.instructions.size(); i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      Frame<SourceValue> frame = frames[i];
      if (frame == null || insn.getOpcode() < 0) {
        continue; // unreachable, or a label/line/frame
      }
      String problem = check(m, insn, frame, values, effects, depth, path);
      if (problem != null) {
        return key + " " + problem;
      }
    }
    path.remove(key);
    return null;
  }

  /** Checks one instruction; returns what is wrong with it, or null. */
  private String check(
      MethodNode m,
      AbstractInsnNode insn,
      Frame<SourceValue> frame,
      Values values,
      Effects effects,
      int depth,
      Set<String> path) {
    int op = insn.getOpcode();
    if (insn instanceof FieldInsnNode f) {
      if (op == Opcodes.PUTSTATIC) {
        return "writes the static field " + f.name;
      }
      if (op == Opcodes.PUTFIELD) {
        String receiver = values.of(frame, 1);
        String value = values.of(frame, 0);
        if (Values.THIS.equals(receiver)) {
          if (!f.owner.equals(owner.name) || !Values.isConstant(value)) {
            return "assigns " + f.name + " a value that depends on the object's state";
          }
          effects.assigned().add(f.name);
          effects.effects().add("put " + f.name + " = " + value);
        } else if (!Values.isConstant(receiver) || !Values.isConstant(value)) {
          return "assigns a field of an object it did not build";
        }
      }
      return null;
    }
    if (insn instanceof MethodInsnNode call) {
      return checkCall(m, call, frame, values, effects, depth, path);
    }
    if (insn instanceof InvokeDynamicInsnNode dynamic) {
      int args = Type.getArgumentTypes(dynamic.desc).length;
      for (int a = 0; a < args; a++) {
        if (!Values.isConstant(values.of(frame, a))) {
          return "passes the object's state to " + dynamic.name;
        }
      }
      return pure.check(owner.name, List.of(insn)).orElse(null);
    }
    if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
      for (int a = 0; a < 3; a++) {
        if (!Values.isConstant(values.of(frame, a))) {
          return "stores into an array it did not build, or a value of the object's state";
        }
      }
      return null;
    }
    if (insn instanceof JumpInsnNode jump && op != Opcodes.GOTO && op != Opcodes.JSR) {
      int operands =
          (op >= Opcodes.IF_ICMPEQ && op <= Opcodes.IF_ACMPNE) ? 2 : op == Opcodes.JSR ? 0 : 1;
      for (int a = 0; a < operands; a++) {
        if (!Values.isConstant(values.of(frame, a))) {
          return branchesOn(values.of(frame, a));
        }
      }
      return null;
    }
    if (insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode) {
      return Values.isConstant(values.of(frame, 0)) ? null : branchesOn(values.of(frame, 0));
    }
    if (op == Opcodes.ARETURN
        || op == Opcodes.IRETURN
        || op == Opcodes.LRETURN
        || op == Opcodes.FRETURN
        || op == Opcodes.DRETURN) {
      return null; // a callee's result is classified where it is used
    }
    return null;
  }

  /** Why a branch on a value that is not a constant makes the method unsafe to run again. */
  private static String branchesOn(String value) {
    String field = Values.heldField(value);
    return field == null
        ? "branches on state the program may have changed"
        : "branches on the field "
            + field
            + ", which code other than the constructors assigns: a second run need not take the"
            + " path the first took";
  }

  private String checkCall(
      MethodNode m,
      MethodInsnNode call,
      Frame<SourceValue> frame,
      Values values,
      Effects effects,
      int depth,
      Set<String> path) {
    int args = Type.getArgumentTypes(call.desc).length;
    List<String> arguments = new ArrayList<>();
    for (int a = args - 1; a >= 0; a--) {
      arguments.add(values.of(frame, a));
    }
    boolean constantArguments = arguments.stream().allMatch(Values::isConstant);
    boolean sharedArguments = arguments.stream().anyMatch(Values::isShared);
    if (call.getOpcode() == Opcodes.INVOKESTATIC) {
      if (!constantArguments) {
        return "passes the object's state to " + call.owner + "." + call.name;
      }
      if (sharedArguments && !Values.readsSharedArguments(call)) {
        return "passes an object others hold to " + call.owner + "." + call.name;
      }
      return pure.check(owner.name, List.of(call)).orElse(null);
    }
    String receiver = values.of(frame, args);
    if (call.name.equals("<init>")) {
      if (Values.THIS.equals(receiver)) {
        return "calls a constructor on the object";
      }
      if (!constantArguments) {
        return "builds an object from the object's state";
      }
      if (sharedArguments && !Values.readsSharedArguments(call)) {
        return "passes an object others hold to a constructor of " + call.owner;
      }
      return pure.check(owner.name, List.of(call)).orElse(null);
    }
    if (Values.THIS.equals(receiver)) {
      if (!call.owner.equals(owner.name)) {
        return "calls " + call.name + " of a superclass on the object";
      }
      MethodNode callee = method(call.name + call.desc);
      if (callee == null || !cannotBeOverridden(callee)) {
        return "calls " + call.name + ", which a subclass may override";
      }
      if (!constantArguments) {
        return "passes the object's state to " + call.name;
      }
      return analyze(callee, true, effects, depth + 1, path);
    }
    String held = Values.heldField(receiver);
    if (held != null && field(held) != null) {
      String field = held;
      FieldNode declared = field(field);
      String type = declared == null ? "" : Type.getType(declared.desc).getInternalName();
      boolean setwise =
          SETS.contains(type) && (call.name.equals("add") || call.name.equals("addAll"))
              || MAPS.contains(type) && call.name.equals("putIfAbsent");
      if (!setwise) {
        return "calls "
            + call.name
            + " on what the field "
            + field
            + " holds (only adding to a set, or an absent key to a map, is idempotent)";
      }
      if (!constantArguments) {
        return "adds a value of the object's state to " + field;
      }
      effects.added().add(field);
      effects.effects().add("add " + field + "." + call.name + arguments);
      return null;
    }
    if (!Values.isConstant(receiver) || !constantArguments) {
      return "calls " + call.name + " on state the program may have changed";
    }
    if (Values.isShared(receiver) && !Values.isImmutable(call.owner)
        || sharedArguments && !Values.readsSharedArguments(call)) {
      return "calls " + call.owner + "." + call.name + ", which may change an object others hold";
    }
    return pure.check(owner.name, List.of(call)).orElse(null);
  }

  private boolean cannotBeOverridden(MethodNode m) {
    return (m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) != 0
        || (owner.access & Opcodes.ACC_FINAL) != 0;
  }

  private MethodNode method(String key) {
    for (MethodNode m : owner.methods) {
      if ((m.name + m.desc).equals(key) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
        return m;
      }
    }
    return null;
  }

  private FieldNode field(String name) {
    for (FieldNode f : owner.fields) {
      if (f.name.equals(name) && (f.access & Opcodes.ACC_STATIC) == 0) {
        return f;
      }
    }
    return null;
  }

  /**
   * Where the values on a method's stack come from: {@link #THIS}, a field of it ({@link #FIELD}
   * name) that the program may have changed, a constant (its text), or null (anything else).
   */
  private final class Values {
    static final String THIS = "this";
    static final String FIELD = "field:";
    private static final String CONSTANT = "=";

    private final MethodNode method;
    private final Frame<SourceValue>[] frames;
    private final boolean constantParameters;
    private final Map<AbstractInsnNode, String> known = new HashMap<>();
    private final Set<AbstractInsnNode> inProgress = new HashSet<>();

    Values(MethodNode method, Frame<SourceValue>[] frames, boolean constantParameters) {
      this.method = method;
      this.frames = frames;
      this.constantParameters = constantParameters;
    }

    /**
     * The field of the object whose value this is ({@code this.f}, as read by a getfield), or null.
     */
    static String heldField(String value) {
      if (value == null) {
        return null;
      }
      String name =
          value.startsWith(FIELD)
              ? value.substring(FIELD.length())
              : value.startsWith(CONSTANT + "this.")
                  ? value.substring((CONSTANT + "this.").length())
                  : null;
      return name == null || name.contains(".") ? null : name;
    }

    static boolean isConstant(String value) {
      return value != null && value.startsWith(CONSTANT);
    }

    /**
     * Whether a constant is an object others may hold too (what a static field or a field of the
     * object refers to), rather than one this code built: calls must not change it.
     */
    static boolean isShared(String value) {
      return value != null
          && (value.startsWith(CONSTANT + "static ")
              || value.startsWith(CONSTANT + "this.")
              || value.startsWith(CONSTANT + "["));
    }

    private static final Set<String> IMMUTABLE =
        Set.of(
            "java/lang/String",
            "java/lang/Integer",
            "java/lang/Long",
            "java/lang/Short",
            "java/lang/Byte",
            "java/lang/Boolean",
            "java/lang/Character",
            "java/lang/Double",
            "java/lang/Float",
            "java/lang/Number",
            "java/lang/Enum",
            "java/lang/Class",
            "java/util/regex/Pattern");

    private static final Set<String> READING =
        Set.of(
            "<init>",
            "of",
            "copyOf",
            "asList",
            "unmodifiableSet",
            "unmodifiableList",
            "unmodifiableMap",
            "unmodifiableCollection",
            "singleton",
            "singletonList",
            "singletonMap",
            "add",
            "addAll",
            "put",
            "putAll",
            "putIfAbsent",
            "contains",
            "containsAll",
            "containsKey",
            "get",
            "equals",
            "append",
            "valueOf");

    /** Whether a call on a value of this class cannot change it. */
    static boolean isImmutable(String owner) {
      return IMMUTABLE.contains(owner);
    }

    /**
     * Whether a JDK call only reads the objects it is given as arguments (a copy constructor, a
     * collection's add of them, a factory): then passing an object others hold changes nothing.
     */
    static boolean readsSharedArguments(MethodInsnNode call) {
      return IMMUTABLE.contains(call.owner)
          || call.owner.equals("java/util/Objects")
          || call.owner.equals("java/lang/Math")
          || call.owner.equals("java/lang/StringBuilder")
          || call.owner.startsWith("java/util/") && READING.contains(call.name);
    }

    /** The value {@code fromTop} entries below the top of the frame's stack. */
    String of(Frame<SourceValue> frame, int fromTop) {
      int index = frame.getStackSize() - 1 - fromTop;
      return index < 0 ? null : of(frame.getStack(index));
    }

    private String of(SourceValue value) {
      if (value.insns.isEmpty()) {
        return null;
      }
      Set<String> each = new TreeSet<>();
      for (AbstractInsnNode producer : value.insns) {
        String v = produced(producer);
        if (v == null) {
          return null;
        }
        each.add(v);
      }
      if (each.size() == 1) {
        return each.iterator().next();
      }
      return each.stream().allMatch(Values::isConstant) ? CONSTANT + each : null;
    }

    /** What the instruction pushes. */
    private String produced(AbstractInsnNode insn) {
      String cached = known.get(insn);
      if (cached != null || known.containsKey(insn)) {
        return cached;
      }
      if (!inProgress.add(insn)) {
        return null; // a loop: the value depends on itself
      }
      String value = compute(insn);
      inProgress.remove(insn);
      known.put(insn, value);
      return value;
    }

    private String compute(AbstractInsnNode insn) {
      Frame<SourceValue> frame = frames[method.instructions.indexOf(insn)];
      if (frame == null) {
        return null;
      }
      int op = insn.getOpcode();
      InstructionText text = new InstructionText();
      StringBuilder out = new StringBuilder(CONSTANT);
      if (insn instanceof LdcInsnNode
          || insn instanceof IntInsnNode && op != Opcodes.NEWARRAY
          || op >= Opcodes.ACONST_NULL && op <= Opcodes.DCONST_1) {
        text.append(insn, out);
        return out.toString();
      }
      if (insn instanceof VarInsnNode v) {
        return local(frame, v.var, op);
      }
      if (op == Opcodes.DUP || op == Opcodes.CHECKCAST) {
        return of(frame, 0);
      }
      if (insn instanceof FieldInsnNode f) {
        return field(frame, f);
      }
      if (op == Opcodes.NEW) {
        text.append(insn, out);
        return out.toString(); // its constructor's arguments are checked at the call
      }
      if (insn instanceof MethodInsnNode || insn instanceof InvokeDynamicInsnNode) {
        return call(frame, insn);
      }
      if (insn instanceof InsnNode
          || op == Opcodes.NEWARRAY
          || op == Opcodes.ANEWARRAY
          || op == Opcodes.INSTANCEOF) {
        int operands = operands(op);
        if (operands < 0) {
          return null;
        }
        out.append(op).append('(');
        if (insn instanceof TypeInsnNode t) {
          out.append(t.desc);
        }
        for (int a = 0; a < operands; a++) {
          String operand = of(frame, a);
          if (!isConstant(operand)) {
            return null;
          }
          out.append(operand).append(',');
        }
        return out.append(')').toString();
      }
      return null;
    }

    private String local(Frame<SourceValue> frame, int var, int op) {
      if (op != Opcodes.ALOAD && (op < Opcodes.ILOAD || op > Opcodes.DLOAD)) {
        return null;
      }
      SourceValue local = frame.getLocal(var);
      if (local.insns.isEmpty()) {
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        if (var == 0 && !isStatic) {
          return THIS;
        }
        return constantParameters ? CONSTANT + "param" + var : null;
      }
      Set<String> each = new TreeSet<>();
      for (AbstractInsnNode store : local.insns) {
        Frame<SourceValue> at = frames[method.instructions.indexOf(store)];
        if (!(store instanceof VarInsnNode) || at == null) {
          return null; // an iinc: arithmetic on itself
        }
        String stored = of(at, 0);
        if (stored == null) {
          return null;
        }
        each.add(stored);
      }
      if (each.size() == 1) {
        return each.iterator().next();
      }
      return each.stream().allMatch(Values::isConstant) ? CONSTANT + each : null;
    }

    private String field(Frame<SourceValue> frame, FieldInsnNode f) {
      int op = f.getOpcode();
      if (op == Opcodes.GETSTATIC) {
        boolean finalHere =
            f.owner.equals(owner.name)
                && owner.fields.stream()
                    .anyMatch(
                        d ->
                            d.name.equals(f.name)
                                && (d.access & Opcodes.ACC_STATIC) != 0
                                && (d.access & Opcodes.ACC_FINAL) != 0);
        return finalHere || f.owner.startsWith("java/")
            ? CONSTANT + "static " + f.owner + "." + f.name
            : null;
      }
      if (op != Opcodes.GETFIELD) {
        return null;
      }
      String receiver = of(frame, 0);
      if (THIS.equals(receiver)) {
        if (!f.owner.equals(owner.name)) {
          return null;
        }
        return fixedField.test(f.name) ? CONSTANT + "this." + f.name : FIELD + f.name;
      }
      return isConstant(receiver) ? CONSTANT + receiver + "." + f.name : null;
    }

    private String call(Frame<SourceValue> frame, AbstractInsnNode insn) {
      String desc = insn instanceof MethodInsnNode m ? m.desc : ((InvokeDynamicInsnNode) insn).desc;
      int args = Type.getArgumentTypes(desc).length;
      boolean hasReceiver =
          insn instanceof MethodInsnNode && insn.getOpcode() != Opcodes.INVOKESTATIC;
      StringBuilder out = new StringBuilder(CONSTANT);
      new InstructionText().append(insn, out);
      out.append('(');
      for (int a = args - 1 + (hasReceiver ? 1 : 0); a >= 0; a--) {
        String operand = of(frame, a);
        if (!isConstant(operand)) {
          return null;
        }
        boolean isReceiver = hasReceiver && a == args;
        if (isShared(operand)
            && (insn instanceof InvokeDynamicInsnNode
                ? !isReceiver
                    && !((InvokeDynamicInsnNode) insn)
                        .bsm
                        .getOwner()
                        .equals("java/lang/invoke/StringConcatFactory")
                : isReceiver
                    ? !isImmutable(((MethodInsnNode) insn).owner)
                    : !readsSharedArguments((MethodInsnNode) insn))) {
          return null;
        }
        out.append(operand).append(',');
      }
      if (pure.check(owner.name, List.of(insn)).isPresent()) {
        return null;
      }
      return out.append(')').toString();
    }

    /** How many stack values a simple instruction takes; -1 for one this analysis does not know. */
    private static int operands(int op) {
      if (op >= Opcodes.IADD && op <= Opcodes.LXOR || op >= Opcodes.LCMP && op <= Opcodes.DCMPG) {
        return op >= Opcodes.INEG && op <= Opcodes.DNEG ? 1 : 2;
      }
      if (op >= Opcodes.I2L && op <= Opcodes.I2S
          || op == Opcodes.ARRAYLENGTH
          || op == Opcodes.NEWARRAY
          || op == Opcodes.ANEWARRAY
          || op == Opcodes.INSTANCEOF) {
        return 1;
      }
      if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) {
        return 2;
      }
      return -1;
    }
  }
}
