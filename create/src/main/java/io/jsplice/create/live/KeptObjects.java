package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds where the release keeps objects of a class whose construction the update only gives checks
 * ({@link ConstructionChanges}): maps it fills on demand, outside constructors and static
 * initializers, in code that can build such an object, with a value that may be one. Such a map is
 * keyed by what the object was built from (dom4j's {@code QNameCache} keeps each {@code QName} by
 * its name): an object an attacker had built before the update, which the fixed constructor would
 * refuse, is served again for the same input after it, without the check. The objects themselves
 * need nothing; the map that serves them must be cleared, or the update is not in force while it
 * holds them.
 *
 * <p>A map is tied to the field it is read from, directly or as a map looked up in the map a field
 * holds, through the release's own methods that return it (followed to a bounded depth) and through
 * the arguments the release's callers give a method that fills a map it is given. A map that cannot
 * be tied to a field (the object itself is the map, a JDK call made it, a lambda captured it) is
 * named by the method that fills it. A new map the method builds itself is no cache; neither is a
 * map only code outside the release gives (the program's own).
 */
final class KeptObjects {
  private static final int MAX_DEPTH = 4;

  /** How far a key and a value passed on as parameters are followed to the release's callers. */
  private static final int MAX_CALLERS = 8;

  private static final Set<String> FILLS =
      Set.of("put", "putIfAbsent", "computeIfAbsent", "compute", "merge");

  /** Calls on a map that give a value held in it (a map of maps). */
  private static final Set<String> LOOKUPS =
      Set.of("get", "getOrDefault", "computeIfAbsent", "putIfAbsent", "compute", "merge");

  /**
   * A map that may keep objects of {@code builtClass}.
   *
   * @param owner the class declaring the field that holds the map; null when it cannot be tied to a
   *     field
   * @param field the field; null likewise
   * @param method the method ({@code owner.name+desc}) that fills it
   */
  record Place(String builtClass, String owner, String field, boolean isStatic, String method) {}

  private final ReleaseCalls calls;
  private final Map<String, Frame<SourceValue>[]> frames = new HashMap<>();
  private final Map<String, Boolean> maps = new HashMap<>();
  private final Map<String, Boolean> holding = new HashMap<>();

  KeptObjects(ReleaseCalls calls) {
    this.calls = calls;
  }

  /**
   * @param onlyChecks per class (internal name), its construction methods ({@code owner.name+desc})
   *     whose change only adds checks
   */
  List<Place> find(Map<String, Set<String>> onlyChecks) {
    List<Place> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, ClassNode> sorted = new TreeMap<>(calls.classes()); // stable reports
    new TreeMap<>(onlyChecks)
        .forEach(
            (built, methods) -> {
              Set<String> reach = calls.reaching(methods);
              Set<String> related = related(built);
              for (ClassNode node : sorted.values()) {
                for (MethodNode m : node.methods) {
                  if (!m.name.equals("<init>")
                      && !m.name.equals("<clinit>")
                      && reach.contains(node.name + "." + m.name + m.desc)) {
                    scan(node, m, built, related, out, seen);
                  }
                }
              }
            });
    return out;
  }

  private void scan(
      ClassNode node,
      MethodNode m,
      String built,
      Set<String> related,
      List<Place> out,
      Set<String> seen) {
    String method = node.name + "." + m.name + m.desc;
    Frame<SourceValue>[] f = frames(node, m);
    for (int i = 0; i < m.instructions.size(); i++) {
      if (!(m.instructions.get(i) instanceof MethodInsnNode call)
          || call.getOpcode() == Opcodes.INVOKESTATIC
          || !FILLS.contains(call.name)
          || !isMap(call.owner)) {
        continue;
      }
      Set<String> fields = new java.util.TreeSet<>();
      boolean untied;
      if (f == null) {
        untied = true; // it cannot be analyzed: it may fill any map with them
      } else if (f[i] == null) {
        continue; // unreachable
      } else {
        Frame<SourceValue> frame = f[i];
        int args = Type.getArgumentTypes(call.desc).length;
        boolean value =
            call.name.equals("put") || call.name.equals("putIfAbsent")
                ? mayBe(node, m, f, top(frame, 0), related, new HashSet<>())
                : mayCompute(f, top(frame, 0), related)
                    || call.name.equals("merge")
                        && mayBe(node, m, f, top(frame, 1), related, new HashSet<>());
        if (!value) {
          continue;
        }
        untied = holders(node, m, f, top(frame, args), fields, 0, new HashSet<>());
        if ((call.name.equals("put") || call.name.equals("putIfAbsent"))
            && !untied
            && !fields.isEmpty()
            && !onDemand(node, m, f, List.of(top(frame, 1)), List.of(top(frame, 0)), fields, 0)) {
          continue; // the object's own content, as the program gave it
        }
      }
      for (String field : fields) {
        if (seen.add(built + "|" + field)) {
          int colon = field.indexOf(':');
          String holder = field.substring(0, colon);
          int dot = holder.lastIndexOf('.');
          out.add(
              new Place(
                  built,
                  holder.substring(0, dot),
                  holder.substring(dot + 1),
                  field.endsWith(":static"),
                  method));
        }
      }
      if (untied && seen.add(built + "|" + method)) {
        out.add(new Place(built, null, null, false, method));
      }
    }
  }

  /** A parameter's value as it was on entry ({@code this} in slot 0 of an instance method). */
  private record Param(int slot) {}

  /**
   * Whether a put of {@code values} under {@code keys} (what may be the key and the value, in
   * {@code m}) is a cache's fill rather than a container's put: whether the value is built from the
   * key, the key read from the value, or both computed from one source (other than the object whose
   * method it is). A put of a value and a key the method took as two parameters is followed to the
   * release's callers: a container's {@code put(key, value)} stores what its caller gives, which no
   * release code built from the key ({@code JSONObject.put(name, new JSONArray(list))}); none calls
   * it, and the program filled it, as it fills any collection it holds. A caller that fills an
   * object it builds (a constructor's own object, or one it created with {@code new}) gives that
   * object its content, not a cache entry. The map's own content (a lookup of the map, or a method
   * of the release that only returns one) is no source: {@code put(key, wrap(get(key)))} keeps what
   * was there. What cannot be followed counts as a cache's fill.
   *
   * @param mapFields the fields ({@link #holders} form) the filled map is read from
   */
  private boolean onDemand(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      List<SourceValue> keys,
      List<SourceValue> values,
      Set<String> mapFields,
      int depth) {
    Set<Object> keyFrom = new HashSet<>(); // what it is computed from, through receivers too
    Set<Object> valueFrom = new HashSet<>();
    Set<Object> keyData = new HashSet<>(); // what it is computed from as data
    Set<Object> valueData = new HashSet<>();
    Set<Object> keyIs = new HashSet<>();
    Set<Object> valueIs = new HashSet<>();
    for (SourceValue key : keys) {
      sources(node, m, f, key, keyFrom, mapFields, false, true, new HashSet<>());
      sources(node, m, f, key, keyData, mapFields, false, false, new HashSet<>());
      sources(node, m, f, key, keyIs, mapFields, true, false, new HashSet<>());
    }
    for (SourceValue value : values) {
      sources(node, m, f, value, valueFrom, mapFields, false, true, new HashSet<>());
      sources(node, m, f, value, valueData, mapFields, false, false, new HashSet<>());
      sources(node, m, f, value, valueIs, mapFields, true, false, new HashSet<>());
    }
    Set<Object> shared = new HashSet<>(keyData);
    shared.retainAll(valueData);
    if ((m.access & Opcodes.ACC_STATIC) == 0) {
      shared.remove(new Param(0)); // both read the object whose method it is: no tie
    }
    if (!shared.isEmpty()
        || !java.util.Collections.disjoint(keyIs, valueFrom)
        || !java.util.Collections.disjoint(valueIs, keyFrom)) {
      return true;
    }
    // A parameter both are computed from is no tie (two reads of one pair, {@code
    // put(p.getKey(), p.getValue())}, or of the object itself), here or through the callers.
    List<Integer> keyParams = params(keyFrom);
    List<Integer> valueParams = params(valueFrom);
    List<Integer> both = new ArrayList<>(keyParams);
    both.retainAll(valueParams);
    keyParams.removeAll(both);
    valueParams.removeAll(both);
    if (keyParams.isEmpty() || valueParams.isEmpty()) {
      return false; // one of them computed here, from nothing the other is
    }
    Set<String> callers = calls.callersOf(node.name + "." + m.name + m.desc);
    if (!callers.isEmpty() && depth >= MAX_CALLERS) {
      return true;
    }
    boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
    Type[] types = Type.getArgumentTypes(m.desc);
    Map<Integer, Integer> fromTop = new HashMap<>();
    int slot = isStatic ? 0 : 1;
    if (!isStatic) {
      fromTop.put(0, types.length);
    }
    for (int a = 0; a < types.length; a++) {
      fromTop.put(slot, types.length - 1 - a);
      slot += types[a].getSize();
    }
    for (String caller : callers) {
      int dot = caller.indexOf('.');
      int paren = caller.indexOf('(');
      ClassNode callerClass = calls.classes().get(caller.substring(0, dot));
      MethodNode callerMethod =
          callerClass == null
              ? null
              : method(callerClass, caller.substring(dot + 1, paren), caller.substring(paren));
      Frame<SourceValue>[] cf = callerMethod == null ? null : frames(callerClass, callerMethod);
      if (cf == null) {
        return true;
      }
      boolean found = false;
      for (int i = 0; i < callerMethod.instructions.size(); i++) {
        if (!(callerMethod.instructions.get(i) instanceof MethodInsnNode c
            && c.name.equals(m.name)
            && c.desc.equals(m.desc)
            && cf[i] != null)) {
          continue;
        }
        found = true;
        if (!isStatic && ownObject(callerMethod, cf, top(cf[i], types.length))) {
          continue;
        }
        List<SourceValue> callerKeys = new ArrayList<>();
        List<SourceValue> callerValues = new ArrayList<>();
        for (int p : keyParams) {
          callerKeys.add(top(cf[i], fromTop.get(p)));
        }
        for (int p : valueParams) {
          callerValues.add(top(cf[i], fromTop.get(p)));
        }
        if (onDemand(
            callerClass, callerMethod, cf, callerKeys, callerValues, mapFields, depth + 1)) {
          return true;
        }
      }
      if (!found) {
        return true; // a method handle: what it is given is not followed
      }
    }
    return false;
  }

  /** The parameters among the sources, by slot. */
  private static List<Integer> params(Set<Object> sources) {
    List<Integer> out = new ArrayList<>();
    for (Object s : sources) {
      if (s instanceof Param p) {
        out.add(p.slot());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /**
   * Whether the receiver of a call is an object the calling method builds: one it created with
   * {@code new}, or a constructor's own object.
   */
  private boolean ownObject(MethodNode m, Frame<SourceValue>[] f, SourceValue receiver) {
    Set<Object> is = new HashSet<>();
    sources(null, m, f, receiver, is, Set.of(), true, false, new HashSet<>());
    if (is.isEmpty()) {
      return false;
    }
    for (Object s : is) {
      boolean built = s instanceof AbstractInsnNode insn && insn.getOpcode() == Opcodes.NEW;
      boolean constructing = m.name.equals("<init>") && new Param(0).equals(s);
      if (!built && !constructing) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds to {@code out} what the value may come from: the instructions that compute it and, with
   * {@code copiesOnly} false, what those computed it from (a call's receiver and arguments, a new
   * object's constructor arguments, a field's holder, an operation's operands), with the parameters
   * ({@link Param}) read. Lookups of the filled map, and the release's methods that only return
   * one, end the walk: the map's content is no source. In {@code copiesOnly} mode only loads,
   * stores, duplicates and casts are looked through.
   */
  private void sources(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      SourceValue value,
      Set<Object> out,
      Set<String> mapFields,
      boolean copiesOnly,
      boolean receivers,
      Set<AbstractInsnNode> seen) {
    int paramSlots = (m.access & Opcodes.ACC_STATIC) == 0 ? 1 : 0;
    for (Type t : Type.getArgumentTypes(m.desc)) {
      paramSlots += t.getSize();
    }
    for (AbstractInsnNode p : value.insns) {
      if (!seen.add(p)) {
        continue;
      }
      int op = p.getOpcode();
      Frame<SourceValue> at = f[m.instructions.indexOf(p)];
      if (at == null) {
        continue;
      }
      if (p instanceof VarInsnNode v && op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
        if (v.var < paramSlots) {
          out.add(new Param(v.var)); // a merge with a store drops the entry value: kept here
        }
        sources(node, m, f, at.getLocal(v.var), out, mapFields, copiesOnly, receivers, seen);
        continue;
      }
      if (p instanceof org.objectweb.asm.tree.IincInsnNode inc) {
        out.add(p);
        if (!copiesOnly) {
          if (inc.var < paramSlots) {
            out.add(new Param(inc.var));
          }
          sources(node, m, f, at.getLocal(inc.var), out, mapFields, false, receivers, seen);
        }
        continue;
      }
      if (p instanceof VarInsnNode
          || op == Opcodes.CHECKCAST
          || op >= Opcodes.DUP && op <= Opcodes.SWAP) {
        sources(node, m, f, top(at, 0), out, mapFields, copiesOnly, receivers, seen);
        continue;
      }
      out.add(p);
      if (copiesOnly) {
        continue;
      }
      if (p instanceof TypeInsnNode t && op == Opcodes.NEW) {
        for (int j = 0; j < m.instructions.size(); j++) {
          if (m.instructions.get(j) instanceof MethodInsnNode init
              && init.getOpcode() == Opcodes.INVOKESPECIAL
              && init.name.equals("<init>")
              && init.owner.equals(t.desc)
              && f[j] != null) {
            int args = Type.getArgumentTypes(init.desc).length;
            Set<Object> receiver = new HashSet<>();
            sources(node, m, f, top(f[j], args), receiver, mapFields, true, false, new HashSet<>());
            if (receiver.contains(p)) {
              for (int a = 0; a < args; a++) {
                sources(node, m, f, top(f[j], a), out, mapFields, false, receivers, seen);
              }
            }
          }
        }
      } else if (p instanceof MethodInsnNode call) {
        if (contentOf(node, m, f, call, at, mapFields)) {
          continue;
        }
        int args =
            Type.getArgumentTypes(call.desc).length
                + (call.getOpcode() == Opcodes.INVOKESTATIC || !receivers ? 0 : 1);
        for (int a = 0; a < args; a++) {
          sources(node, m, f, top(at, a), out, mapFields, false, receivers, seen);
        }
      } else if (p instanceof InvokeDynamicInsnNode indy) {
        for (int a = 0; a < Type.getArgumentTypes(indy.desc).length; a++) {
          sources(node, m, f, top(at, a), out, mapFields, false, receivers, seen);
        }
      } else if (op == Opcodes.GETFIELD) {
        if (receivers) {
          sources(node, m, f, top(at, 0), out, mapFields, false, true, seen);
        }
      } else if (op == Opcodes.GETSTATIC
          || op >= Opcodes.ACONST_NULL && op <= Opcodes.LDC
          || op == Opcodes.NEW) {
        // a constant or a static: computed from nothing here
      } else {
        int operands = operands(p);
        for (int a = 0; a < (operands < 0 ? at.getStackSize() : operands); a++) {
          sources(
              node, m, f, top(at, a), out, mapFields, false, receivers, seen); // what it may take
        }
        if (op == Opcodes.ANEWARRAY || op == Opcodes.NEWARRAY || op == Opcodes.MULTIANEWARRAY) {
          for (int j = 0; j < m.instructions.size(); j++) { // what is stored in the new array
            int store = m.instructions.get(j).getOpcode();
            if (store >= Opcodes.IASTORE && store <= Opcodes.SASTORE && f[j] != null) {
              Set<Object> array = new HashSet<>();
              sources(node, m, f, top(f[j], 2), array, mapFields, true, false, new HashSet<>());
              if (array.contains(p)) {
                sources(node, m, f, top(f[j], 0), out, mapFields, false, receivers, seen);
              }
            }
          }
        }
      }
    }
  }

  /** How many stack values the instruction takes, or -1 when not known here. */
  private static int operands(AbstractInsnNode p) {
    int op = p.getOpcode();
    if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD
        || op >= Opcodes.IADD && op <= Opcodes.DREM
        || op >= Opcodes.ISHL && op <= Opcodes.LXOR
        || op >= Opcodes.LCMP && op <= Opcodes.DCMPG) {
      return 2;
    }
    if (op >= Opcodes.INEG && op <= Opcodes.DNEG
        || op >= Opcodes.I2L && op <= Opcodes.I2S
        || op == Opcodes.ARRAYLENGTH
        || op == Opcodes.INSTANCEOF
        || op == Opcodes.ANEWARRAY
        || op == Opcodes.NEWARRAY) {
      return 1;
    }
    if (p instanceof org.objectweb.asm.tree.MultiANewArrayInsnNode multi) {
      return multi.dims;
    }
    return -1;
  }

  /**
   * Whether the call gives the filled map's content: a lookup of that map, or a method of the
   * release whose every result is one (or null).
   */
  private boolean contentOf(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      MethodInsnNode call,
      Frame<SourceValue> at,
      Set<String> mapFields) {
    int args = Type.getArgumentTypes(call.desc).length;
    if (call.getOpcode() != Opcodes.INVOKESTATIC
        && (call.name.equals("get") || call.name.equals("getOrDefault"))
        && isMap(call.owner)) {
      Set<String> fields = new java.util.TreeSet<>();
      boolean untied = holders(node, m, f, top(at, args), fields, 0, new HashSet<>());
      return !untied && !fields.isEmpty() && mapFields.containsAll(fields);
    }
    ClassNode owner = declaringClass(call.owner, call.name, call.desc);
    MethodNode target = owner == null ? null : method(owner, call.name, call.desc);
    if (target == null
        || call.getOpcode() == Opcodes.INVOKEINTERFACE
        || (target.access & Opcodes.ACC_ABSTRACT) != 0
        || Type.getReturnType(target.desc).getSort() != Type.OBJECT) {
      return false;
    }
    if (call.getOpcode() == Opcodes.INVOKEVIRTUAL
        && (target.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) == 0
        && (owner.access & Opcodes.ACC_FINAL) == 0
        && overridden(owner.name, call.name, call.desc)) {
      return false;
    }
    Frame<SourceValue>[] tf = frames(owner, target);
    if (tf == null) {
      return false;
    }
    boolean any = false;
    for (int i = 0; i < target.instructions.size(); i++) {
      if (target.instructions.get(i).getOpcode() != Opcodes.ARETURN || tf[i] == null) {
        continue;
      }
      Set<Object> is = new HashSet<>();
      sources(owner, target, tf, top(tf[i], 0), is, mapFields, true, false, new HashSet<>());
      for (Object s : is) {
        if (s instanceof AbstractInsnNode r && r.getOpcode() == Opcodes.ACONST_NULL) {
          continue;
        }
        if (!(s instanceof MethodInsnNode lookup)
            || !lookup.name.equals("get") && !lookup.name.equals("getOrDefault")
            || !contentOf(
                owner, target, tf, lookup, tf[target.instructions.indexOf(lookup)], mapFields)) {
          return false; // only a lookup of the map itself, never a further method
        }
        any = true;
      }
    }
    return any;
  }

  /** Whether a class of the release overrides the method of {@code owner}. */
  private boolean overridden(String owner, String name, String desc) {
    for (ClassNode node : calls.classes().values()) {
      if (!node.name.equals(owner)) {
        Set<String> supers = new HashSet<>();
        supertypes(node.name, supers);
        if (supers.contains(owner) && method(node, name, desc) != null) {
          return true;
        }
      }
    }
    return false;
  }

  private static SourceValue top(Frame<SourceValue> frame, int fromTop) {
    return frame.getStack(frame.getStackSize() - 1 - fromTop);
  }

  /**
   * Adds to {@code fields} ({@code owner.field:static} or {@code owner.field:instance}) the map
   * fields the value may have been read from; returns whether it may also come from a map that
   * cannot be tied to one.
   */
  private boolean holders(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      SourceValue value,
      Set<String> fields,
      int depth,
      Set<AbstractInsnNode> seen) {
    boolean untied = false;
    for (AbstractInsnNode p : value.insns) {
      if (!seen.add(p)) {
        continue;
      }
      int op = p.getOpcode();
      Frame<SourceValue> at = f[m.instructions.indexOf(p)];
      if (at == null) {
        continue;
      }
      if (p instanceof VarInsnNode v && op == Opcodes.ALOAD) {
        SourceValue local = at.getLocal(v.var);
        if (!local.insns.isEmpty()) {
          untied |= holders(node, m, f, local, fields, depth, seen);
        } else if (v.var == 0 && (m.access & Opcodes.ACC_STATIC) == 0) {
          untied = true; // the object is itself the map: whatever holds it keeps them
        } else {
          untied |= fromCallers(node, m, v.var, fields, depth);
        }
      } else if (op == Opcodes.ASTORE || op == Opcodes.DUP || op == Opcodes.CHECKCAST) {
        untied |= holders(node, m, f, top(at, 0), fields, depth, seen);
      } else if (op == Opcodes.NEW || op == Opcodes.ACONST_NULL) {
        // a map the method builds itself is no cache
      } else if (p instanceof FieldInsnNode field) {
        fields.add(
            declaring(field.owner, field.name)
                + "."
                + field.name
                + (op == Opcodes.GETSTATIC ? ":static" : ":instance"));
      } else if (p instanceof MethodInsnNode call) {
        untied |= returnedBy(node, m, f, call, at, fields, depth, seen);
      } else {
        untied = true;
      }
    }
    return untied;
  }

  /**
   * The maps a call (in {@code m}, with frames {@code f}, the frame before it {@code at}) may
   * return: one looked up in a map, the map a JDK wrapper wraps, or what a method of the release
   * returns. A map a JDK factory builds is a new one.
   */
  private boolean returnedBy(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      MethodInsnNode call,
      Frame<SourceValue> at,
      Set<String> fields,
      int depth,
      Set<AbstractInsnNode> seen) {
    int args = Type.getArgumentTypes(call.desc).length;
    boolean isStatic = call.getOpcode() == Opcodes.INVOKESTATIC;
    if (!isStatic && LOOKUPS.contains(call.name) && isMap(call.owner)) {
      return holders(node, m, f, top(at, args), fields, depth, seen);
    }
    if (isStatic && jdkClass(call.owner) != null) {
      boolean wraps =
          call.owner.equals("java/util/Collections")
              && args > 0
              && (call.name.startsWith("synchronized")
                  || call.name.startsWith("unmodifiable")
                  || call.name.startsWith("checked"));
      return wraps && holders(node, m, f, top(at, args - 1), fields, depth, seen);
    }
    ClassNode owner = declaringClass(call.owner, call.name, call.desc);
    MethodNode target = owner == null ? null : method(owner, call.name, call.desc);
    if (target == null || depth >= MAX_DEPTH || (target.access & Opcodes.ACC_ABSTRACT) != 0) {
      return true;
    }
    Frame<SourceValue>[] targetFrames = frames(owner, target);
    if (targetFrames == null) {
      return true;
    }
    boolean untied = false;
    for (int i = 0; i < target.instructions.size(); i++) {
      if (target.instructions.get(i).getOpcode() == Opcodes.ARETURN && targetFrames[i] != null) {
        untied |=
            holders(
                owner,
                target,
                targetFrames,
                top(targetFrames[i], 0),
                fields,
                depth + 1,
                new HashSet<>());
      }
    }
    return untied;
  }

  /**
   * The maps the release's callers give the method as the parameter in local {@code var}; none when
   * no method of the release calls it (the program's own map); untied when a caller cannot be
   * followed (a lambda, or too deep).
   */
  private boolean fromCallers(
      ClassNode node, MethodNode m, int var, Set<String> fields, int depth) {
    int slot = (m.access & Opcodes.ACC_STATIC) == 0 ? 1 : 0;
    Type[] params = Type.getArgumentTypes(m.desc);
    int position = -1;
    for (int a = 0; a < params.length; a++) {
      if (slot == var) {
        position = a;
      }
      slot += params[a].getSize();
    }
    if (position < 0 || depth >= MAX_DEPTH) {
      return true; // a local no argument gave a value: not followed
    }
    boolean untied = false;
    for (String caller : calls.callersOf(node.name + "." + m.name + m.desc)) {
      int dot = caller.indexOf('.');
      int paren = caller.indexOf('(');
      ClassNode callerClass = calls.classes().get(caller.substring(0, dot));
      MethodNode callerMethod =
          callerClass == null
              ? null
              : method(callerClass, caller.substring(dot + 1, paren), caller.substring(paren));
      Frame<SourceValue>[] f = callerMethod == null ? null : frames(callerClass, callerMethod);
      if (f == null) {
        untied = true;
        continue;
      }
      boolean found = false;
      for (int i = 0; i < callerMethod.instructions.size(); i++) {
        if (callerMethod.instructions.get(i) instanceof MethodInsnNode c
            && c.name.equals(m.name)
            && c.desc.equals(m.desc)
            && f[i] != null) {
          found = true;
          untied |=
              holders(
                  callerClass,
                  callerMethod,
                  f,
                  top(f[i], params.length - 1 - position),
                  fields,
                  depth + 1,
                  new HashSet<>());
        }
      }
      untied |= !found; // a method handle: what it is given is not followed
    }
    return untied;
  }

  /** Whether the value may be an object of the built class (or hold one, as an array). */
  private boolean mayBe(
      ClassNode node,
      MethodNode m,
      Frame<SourceValue>[] f,
      SourceValue value,
      Set<String> related,
      Set<AbstractInsnNode> seen) {
    if (value.insns.isEmpty()) {
      return true; // a parameter: its declared type is not looked up here
    }
    for (AbstractInsnNode p : value.insns) {
      if (!seen.add(p)) {
        continue;
      }
      int op = p.getOpcode();
      Frame<SourceValue> at = f[m.instructions.indexOf(p)];
      if (at == null) {
        continue;
      }
      boolean may;
      if (p instanceof VarInsnNode v && op == Opcodes.ALOAD) {
        SourceValue local = at.getLocal(v.var);
        may =
            local.insns.isEmpty()
                ? v.var != 0 || (m.access & Opcodes.ACC_STATIC) != 0 || related.contains(node.name)
                : mayBe(node, m, f, local, related, seen);
      } else if (op == Opcodes.ASTORE || op == Opcodes.DUP) {
        may = mayBe(node, m, f, top(at, 0), related, seen);
      } else if (p instanceof TypeInsnNode t) {
        may = typeMayBe(Type.getObjectType(t.desc), related);
      } else if (op == Opcodes.ACONST_NULL) {
        may = false;
      } else if (p instanceof LdcInsnNode ldc) {
        may = ldc.cst instanceof String && related.contains("java/lang/String");
      } else if (p instanceof MethodInsnNode call) {
        may = typeMayBe(Type.getReturnType(call.desc), related);
      } else if (p instanceof FieldInsnNode field) {
        may = typeMayBe(Type.getType(field.desc), related);
      } else {
        may = true;
      }
      if (may) {
        return true;
      }
    }
    return false;
  }

  /** Whether the function given to {@code computeIfAbsent} and the like may return one. */
  private boolean mayCompute(Frame<SourceValue>[] f, SourceValue function, Set<String> related) {
    for (AbstractInsnNode p : function.insns) {
      if (!(p instanceof InvokeDynamicInsnNode indy
          && indy.bsmArgs.length > 1
          && indy.bsmArgs[1] instanceof Handle body)) {
        return true;
      }
      Type result =
          body.getTag() == Opcodes.H_NEWINVOKESPECIAL
              ? Type.getObjectType(body.getOwner())
              : Type.getReturnType(body.getDesc());
      if (typeMayBe(result, related)) {
        return true;
      }
    }
    return function.insns.isEmpty();
  }

  /**
   * Whether a value of the type may be, or hold, an object of the built class: one of its related
   * types, an array of them, or a JDK holder of objects (a reference, an optional, a collection or
   * a map: dom4j's {@code NamespaceCache} keeps each {@code Namespace} in a {@code WeakReference}).
   */
  private boolean typeMayBe(Type type, Set<String> related) {
    while (type.getSort() == Type.ARRAY) {
      type = type.getElementType();
    }
    if (type.getSort() != Type.OBJECT) {
      return false;
    }
    String name = type.getInternalName();
    return related.contains(name) || holding.computeIfAbsent(name, this::holdsObjects);
  }

  private boolean holdsObjects(String name) {
    if (name.startsWith("java/lang/ref/")
        || name.equals("java/util/Optional")
        || name.equals("java/util/concurrent/atomic/AtomicReference")) {
      return true;
    }
    Set<String> supers = new HashSet<>();
    supertypes(name, supers);
    return supers.contains("java/util/Map") || supers.contains("java/util/Collection");
  }

  /** The class, its supertypes (the JDK's included) and its subtypes in the release. */
  private Set<String> related(String built) {
    Set<String> out = new HashSet<>();
    supertypes(built, out);
    out.add("java/lang/Object");
    for (ClassNode node : calls.classes().values()) {
      Set<String> supers = new HashSet<>();
      supertypes(node.name, supers);
      if (supers.contains(built)) {
        out.add(node.name);
      }
    }
    return out;
  }

  private void supertypes(String name, Set<String> out) {
    if (!out.add(name)) {
      return;
    }
    ClassNode node = calls.classes().get(name);
    if (node != null) {
      if (node.superName != null) {
        supertypes(node.superName, out);
      }
      node.interfaces.forEach(i -> supertypes(i, out));
      return;
    }
    Class<?> jdk = jdkClass(name);
    if (jdk != null) {
      if (jdk.getSuperclass() != null) {
        supertypes(Type.getInternalName(jdk.getSuperclass()), out);
      }
      for (Class<?> i : jdk.getInterfaces()) {
        supertypes(Type.getInternalName(i), out);
      }
    }
  }

  /** Whether the type is a map: a JDK map, or a class of the release that is one. */
  private boolean isMap(String owner) {
    return maps.computeIfAbsent(
        owner,
        name -> {
          Set<String> supers = new HashSet<>();
          supertypes(name, supers);
          return supers.contains("java/util/Map");
        });
  }

  private static Class<?> jdkClass(String name) {
    if (!name.startsWith("java/") && !name.startsWith("javax/")) {
      return null;
    }
    try {
      return Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /** The class of the release declaring the field {@code owner} has; {@code owner} if none. */
  private String declaring(String owner, String field) {
    for (ClassNode node = calls.classes().get(owner); node != null; ) {
      for (FieldNode f : node.fields) {
        if (f.name.equals(field)) {
          return node.name;
        }
      }
      node = node.superName == null ? null : calls.classes().get(node.superName);
    }
    return owner;
  }

  private ClassNode declaringClass(String owner, String name, String desc) {
    for (ClassNode node = calls.classes().get(owner); node != null; ) {
      if (method(node, name, desc) != null) {
        return node;
      }
      node = node.superName == null ? null : calls.classes().get(node.superName);
    }
    return null;
  }

  private static MethodNode method(ClassNode node, String name, String desc) {
    for (MethodNode m : node.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }

  private Frame<SourceValue>[] frames(ClassNode owner, MethodNode m) {
    String key = owner.name + "." + m.name + m.desc;
    if (frames.containsKey(key)) {
      return frames.get(key);
    }
    Frame<SourceValue>[] f;
    try {
      f = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, m);
    } catch (AnalyzerException e) {
      f = null;
    }
    frames.put(key, f);
    return f;
  }
}
