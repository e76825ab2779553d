package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Finds a constructor change that only puts a guard in front of entries the old constructor always
 * put into a map the object holds: {@code map.put(K, new X())} became {@code if (S) map.put(K, new
 * X())}, or a loop's {@code map.put(k, make(c))} became {@code if
 * (!c.getName().equals(X.class.getName()) || S) map.put(k, make(c))}, where {@code S} reads only
 * static state (a static boolean, a static method without arguments or with constant ones, as
 * {@code Boolean.getBoolean("p")}). Objects built before the update hold the entry; the fixed
 * constructor would not have put it while {@code S} is false. So the agent removes, from the map of
 * each such object, the entries the fixed code leaves out now: key equal to {@code K} (any key for
 * the loop form) and value of class {@code X} exactly, and only while {@code S} evaluates false in
 * the running JVM; nothing else in the map is touched.
 *
 * <p>Sound because the rest of the constructor is the old one instruction for instruction (the new
 * code with the guards taken out equals the old code), and the guard skips only the put statement
 * and the handler of the exception its expressions may throw.
 */
final class GuardedEntries {
  /**
   * One entry the fixed constructor leaves out while its condition is false.
   *
   * @param field the map-typed instance field of the class it goes into
   * @param key the constant key ({@code String}), or null for any key
   * @param valueClass binary name of the class the value is exactly
   * @param condition instructions pushing the guard's boolean, reading static state only
   * @param putWhenTrue whether the entry is put when the condition is true (else when false)
   */
  record Entry(
      String field,
      String key,
      String valueClass,
      List<AbstractInsnNode> condition,
      boolean putWhenTrue) {
    String describe() {
      return (key == null ? "entries" : "the entry \"" + key + "\"")
          + " of "
          + field
          + " holding a "
          + valueClass;
    }
  }

  private static final String PUT_DESC = "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;";

  private GuardedEntries() {}

  /**
   * The entries the new version of the constructor guards, when guarding map entries is all that
   * changed in it; null otherwise.
   *
   * @param method the constructor as {@code name+desc}
   */
  static List<Entry> compare(ClassNode pre, ClassNode post, String method) {
    MethodNode before = find(pre, method);
    MethodNode after = find(post, method);
    if (before == null || after == null || !method.startsWith("<init>")) {
      return null;
    }
    List<Guard> now = guards(post, after);
    List<Guard> then = guards(pre, before);
    if (now.size() != then.size()) {
      return null; // not the same puts
    }
    Set<AbstractInsnNode> added = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<JumpInsnNode> skips = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (int k = 0; k < now.size(); k++) {
      Guard g = now.get(k);
      if (g == null || then.get(k) != null && g.text().equals(then.get(k).text())) {
        continue; // unguarded, or guarded as before (kept in both texts)
      }
      added.addAll(g.insns());
      skips.add(g.skip());
      entries.add(g.entry());
    }
    if (entries.isEmpty()
        || !tokens(after, added).equals(tokens(before, Set.of()))
        || !skipsOnlyThePut(after, added, skips)) {
      return null;
    }
    return entries;
  }

  /** A guard found in front of a put: the entry, its instructions and its skipping jump. */
  private record Guard(Entry entry, List<AbstractInsnNode> insns, JumpInsnNode skip) {
    String text() {
      StringBuilder out = new StringBuilder();
      InstructionText printer = new InstructionText();
      insns.forEach(
          i -> {
            if (!(i instanceof JumpInsnNode)) {
              printer.append(i, out);
            }
          });
      return out.toString();
    }
  }

  /** Per put into a map field of the object, in order: its guard, or null. */
  private static List<Guard> guards(ClassNode owner, MethodNode method) {
    List<Guard> out = new ArrayList<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (isPut(insn)) {
        out.add(guarded(owner, method, (MethodInsnNode) insn));
      }
    }
    return out;
  }

  /** The guard in front of one put; null when there is none. */
  private static Guard guarded(ClassNode owner, MethodNode method, MethodInsnNode put) {
    AbstractInsnNode getfield = put.getPrevious();
    while (getfield != null
        && !(getfield instanceof FieldInsnNode f
            && f.getOpcode() == Opcodes.GETFIELD
            && f.owner.equals(owner.name)
            && mapField(owner, f.name, f.desc))) {
      if (getfield instanceof JumpInsnNode
          || getfield instanceof LabelNode l && jumpedTo(method, l)) {
        return null; // the put's expressions branch: not one straight statement
      }
      getfield = getfield.getPrevious();
    }
    AbstractInsnNode self = real(getfield == null ? null : getfield.getPrevious(), false);
    if (!(self instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD && v.var == 0)) {
      return null;
    }
    List<AbstractInsnNode> expressions = new ArrayList<>();
    for (AbstractInsnNode i = real(getfield.getNext(), true);
        i != put;
        i = real(i.getNext(), true)) {
      expressions.add(i);
    }
    String field = ((FieldInsnNode) getfield).name;
    AbstractInsnNode jump = real(self.getPrevious(), false);
    if (!(jump instanceof JumpInsnNode skip)
        || skip.getOpcode() != Opcodes.IFEQ && skip.getOpcode() != Opcodes.IFNE) {
      return null;
    }
    List<AbstractInsnNode> condition = staticCondition(jump);
    if (condition == null) {
      return null;
    }
    List<AbstractInsnNode> guard = new ArrayList<>(condition);
    guard.add(jump);
    String valueClass;
    String key;
    AbstractInsnNode before = real(condition.get(0).getPrevious(), false);
    List<AbstractInsnNode> classTest = classTest(before, self);
    if (classTest != null && skip.getOpcode() == Opcodes.IFEQ) {
      // if (!c.getName().equals(X.getName()) || S) put(k, make(c))
      int tested = ((VarInsnNode) classTest.get(0)).var;
      if (expressions.stream()
          .noneMatch(
              i ->
                  i instanceof VarInsnNode l
                      && l.getOpcode() == Opcodes.ALOAD
                      && l.var == tested)) {
        return null;
      }
      guard.addAll(classTest);
      valueClass = classTestName(classTest);
      key = constantKey(expressions);
    } else {
      key = constantKey(expressions);
      valueClass = key == null ? null : valueClass(expressions.subList(1, expressions.size()));
    }
    if (valueClass == null) {
      return null;
    }
    return new Guard(
        new Entry(field, key, valueClass, condition, skip.getOpcode() == Opcodes.IFEQ),
        guard,
        skip);
  }

  /**
   * The instructions pushing the boolean a guard jump tests, when they read static state only: a
   * static boolean field, or a static method returning boolean given constants. Null otherwise.
   */
  private static List<AbstractInsnNode> staticCondition(AbstractInsnNode jump) {
    AbstractInsnNode read = real(jump.getPrevious(), false);
    List<AbstractInsnNode> out = new ArrayList<>();
    if (read instanceof FieldInsnNode f
        && f.getOpcode() == Opcodes.GETSTATIC
        && f.desc.equals("Z")) {
      out.add(read);
      return out;
    }
    if (!(read instanceof MethodInsnNode m)
        || m.getOpcode() != Opcodes.INVOKESTATIC
        || Type.getReturnType(m.desc) != Type.BOOLEAN_TYPE) {
      return null;
    }
    out.add(read);
    AbstractInsnNode arg = read;
    for (int n = Type.getArgumentTypes(m.desc).length; n > 0; n--) {
      arg = real(arg.getPrevious(), false);
      if (!(arg instanceof LdcInsnNode)) {
        return null;
      }
      out.add(0, arg);
    }
    return out;
  }

  /**
   * {@code ALOAD c; Class.getName; (LDC X; Class.getName | LDC "X"); String.equals; IFEQ put}
   * ending right before {@code last} (the condition's first instruction), the jump going to the put
   * statement that starts with {@code self}; null when absent.
   */
  private static List<AbstractInsnNode> classTest(AbstractInsnNode last, AbstractInsnNode self) {
    if (!(last instanceof JumpInsnNode toPut)
        || last.getOpcode() != Opcodes.IFEQ
        || real(toPut.label, true) != self) {
      return null;
    }
    List<AbstractInsnNode> out = new ArrayList<>();
    AbstractInsnNode i = last;
    for (int n = 0; n < 6 && i != null; n++) {
      out.add(0, i);
      i = real(i.getPrevious(), false);
    }
    // out: [?, ?, ?, ?, equals, IFEQ] or with a String constant [?, ALOAD, getName, LDC, equals,
    // IFEQ]
    if (out.size() < 5 || !call(out.get(out.size() - 2), "java/lang/String", "equals")) {
      return null;
    }
    AbstractInsnNode x = out.get(out.size() - 3);
    if (x instanceof LdcInsnNode s && s.cst instanceof String) {
      out = out.subList(out.size() - 5, out.size());
    } else if (call(x, "java/lang/Class", "getName")
        && out.get(out.size() - 4) instanceof LdcInsnNode t
        && t.cst instanceof Type) {
      // complete
    } else {
      return null;
    }
    if (!(out.get(0) instanceof VarInsnNode c && c.getOpcode() == Opcodes.ALOAD)
        || !call(out.get(1), "java/lang/Class", "getName")) {
      return null;
    }
    return new ArrayList<>(out);
  }

  private static String classTestName(List<AbstractInsnNode> classTest) {
    Object cst = ((LdcInsnNode) classTest.get(2)).cst;
    return cst instanceof Type t ? t.getClassName() : (String) cst;
  }

  private static String constantKey(List<AbstractInsnNode> expressions) {
    return !expressions.isEmpty()
            && expressions.get(0) instanceof LdcInsnNode l
            && l.cst instanceof String s
        ? s
        : null;
  }

  /**
   * The exact class of a value expression: {@code new X(...)}, or a factory given the class's name
   * as its only class-naming string constant (as {@code Loader.newInstanceOf("a.b.X", T.class)}:
   * taken to build that class; an entry of another class is left as it is).
   */
  private static String valueClass(List<AbstractInsnNode> value) {
    if (value.isEmpty()) {
      return null;
    }
    if (value.get(0) instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW) {
      // the object built is the value only when its constructor call ends the expression
      return value.get(value.size() - 1) instanceof MethodInsnNode init
              && init.getOpcode() == Opcodes.INVOKESPECIAL
              && init.name.equals("<init>")
              && init.owner.equals(t.desc)
          ? Type.getObjectType(t.desc).getClassName()
          : null;
    }
    String found = null;
    for (AbstractInsnNode i : value) {
      if (i instanceof LdcInsnNode l && l.cst instanceof String s && binaryName(s)) {
        if (found != null) {
          return null;
        }
        found = s;
      }
    }
    return found;
  }

  private static boolean binaryName(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length < 2) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || !Character.isJavaIdentifierStart(p.charAt(0))) {
        return false;
      }
      for (char c : p.toCharArray()) {
        if (!Character.isJavaIdentifierPart(c)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether every guard's skip lands right after its put statement, or after the handler of the
   * exceptions the put statement throws (a {@code GOTO} to the same place ends the statement).
   */
  private static boolean skipsOnlyThePut(
      MethodNode method, Set<AbstractInsnNode> guards, List<JumpInsnNode> skips) {
    for (JumpInsnNode skip : skips) {
      AbstractInsnNode target = real(skip.label, true);
      if (target == null) {
        return false;
      }
      AbstractInsnNode i = real(skip.getNext(), true);
      while (i != null && guards.contains(i)) {
        i = real(i.getNext(), true);
      }
      while (i != null && !(isPut(i))) {
        i = real(i.getNext(), true);
      }
      AbstractInsnNode after = i == null ? null : real(i.getNext(), true);
      if (after == null || after.getOpcode() != Opcodes.POP) {
        return false;
      }
      AbstractInsnNode next = real(after.getNext(), true);
      if (next == target) {
        continue;
      }
      if (!(next instanceof JumpInsnNode g2
          && g2.getOpcode() == Opcodes.GOTO
          && real(g2.label, true) == target
          && handlesOnly(method, next, target))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the code after {@code jump} up to {@code end} is exception handlers only. */
  private static boolean handlesOnly(
      MethodNode method, AbstractInsnNode jump, AbstractInsnNode end) {
    AbstractInsnNode first = real(jump.getNext(), true);
    return first != end
        && method.tryCatchBlocks.stream().anyMatch(t -> real(t.handler, true) == first);
  }

  /**
   * The method's behaviour as text, without the instructions in {@code skipped}: labels resolve to
   * the index of the next instruction kept, so that removing a guard leaves the rest comparable.
   */
  private static List<String> tokens(MethodNode method, Set<AbstractInsnNode> skipped) {
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    List<AbstractInsnNode> kept = new ArrayList<>();
    for (AbstractInsnNode i : method.instructions) {
      if (i.getOpcode() >= 0 && !skipped.contains(i)) {
        index.put(i, kept.size());
        kept.add(i);
      }
    }
    Map<LabelNode, Integer> at = new HashMap<>();
    for (AbstractInsnNode i : method.instructions) {
      if (i instanceof LabelNode l) {
        AbstractInsnNode n = l;
        while (n != null && !index.containsKey(n)) {
          n = n.getNext();
        }
        at.put(l, n == null ? kept.size() : index.get(n));
      }
    }
    List<String> out = new ArrayList<>();
    for (AbstractInsnNode i : kept) {
      StringBuilder text = new StringBuilder();
      if (i instanceof JumpInsnNode j) {
        text.append(j.getOpcode()).append(" ->").append(at.get(j.label));
      } else if (i instanceof TableSwitchInsnNode t) {
        text.append(t.getOpcode()).append(' ').append(t.min).append(' ').append(t.max);
        text.append(" ->").append(at.get(t.dflt));
        t.labels.forEach(l -> text.append(" ->").append(at.get(l)));
      } else if (i instanceof LookupSwitchInsnNode s) {
        text.append(s.getOpcode()).append(' ').append(s.keys).append(" ->").append(at.get(s.dflt));
        s.labels.forEach(l -> text.append(" ->").append(at.get(l)));
      } else {
        new InstructionText().append(i, text);
      }
      out.add(text.toString().trim());
    }
    for (TryCatchBlockNode t : method.tryCatchBlocks) {
      out.add(
          "try " + at.get(t.start) + " " + at.get(t.end) + " " + at.get(t.handler) + " " + t.type);
    }
    return out;
  }

  private static boolean isPut(AbstractInsnNode insn) {
    return insn instanceof MethodInsnNode m
        && m.name.equals("put")
        && m.desc.equals(PUT_DESC)
        && (m.getOpcode() == Opcodes.INVOKEINTERFACE || m.getOpcode() == Opcodes.INVOKEVIRTUAL)
        && MAPS.contains(m.owner);
  }

  private static final Set<String> MAPS =
      new HashSet<>(
          List.of(
              "java/util/Map",
              "java/util/HashMap",
              "java/util/LinkedHashMap",
              "java/util/TreeMap",
              "java/util/SortedMap",
              "java/util/NavigableMap",
              "java/util/concurrent/ConcurrentMap",
              "java/util/concurrent/ConcurrentHashMap"));

  private static boolean mapField(ClassNode owner, String name, String desc) {
    for (FieldNode f : owner.fields) {
      if (f.name.equals(name) && f.desc.equals(desc) && (f.access & Opcodes.ACC_STATIC) == 0) {
        Type t = Type.getType(desc);
        return t.getSort() == Type.OBJECT && MAPS.contains(t.getInternalName());
      }
    }
    return false;
  }

  private static boolean call(AbstractInsnNode insn, String owner, String name) {
    return insn instanceof MethodInsnNode m && m.owner.equals(owner) && m.name.equals(name);
  }

  private static boolean jumpedTo(MethodNode method, LabelNode label) {
    for (AbstractInsnNode i : method.instructions) {
      if (i instanceof JumpInsnNode j && j.label == label) {
        return true;
      }
    }
    return false;
  }

  /** The nearest real instruction from {@code insn} on (forward) or back, itself included. */
  static AbstractInsnNode real(AbstractInsnNode insn, boolean forward) {
    AbstractInsnNode i = insn;
    while (i != null && i.getOpcode() < 0) {
      i = forward ? i.getNext() : i.getPrevious();
    }
    return i;
  }

  private static MethodNode find(ClassNode node, String key) {
    for (MethodNode m : node.methods) {
      if ((m.name + m.desc).equals(key)) {
        return m;
      }
    }
    return null;
  }
}
