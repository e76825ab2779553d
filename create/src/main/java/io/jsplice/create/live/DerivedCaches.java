package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds state a library derived from code an update changes and keeps for later: caches, which hold
 * results the old code computed (an exploit attempted once before the update had its unchecked
 * result cached; the fixed check never runs for it again), and proves from the fixed release's
 * bytecode that dropping them is safe, because the library computes again what it misses:
 *
 * <ul>
 *   <li>a <b>cache map</b>: a field (static or of an object) holding a JDK map that the release
 *       only looks keys up in ({@code get}, {@code containsKey}) and fills with values it computes
 *       itself ({@code put} or {@code putIfAbsent} of a value no caller supplied, or {@code
 *       computeIfAbsent}), in code that can reach what the update changes, and fills outside its
 *       constructors (a map only constructors fill is a table the object was built with, which
 *       nothing refills once emptied), each time under a key the library was asked for: one the
 *       filling method looked up in that map, or one it computes from what its caller gave it
 *       without reading an object's fields (a map keyed by what the object read, as a dump
 *       archive's reader files the directory entries it read under their inode numbers, is what the
 *       object has learned so far, and a lookup that misses answers "not known yet" instead of
 *       computing it again); never iterated, never handed out, never emptied key by key, never
 *       given a new map that the same method then fills outside the constructors (a table built
 *       whole, as Ivy's StatusManager builds its status priorities when it finds none: the library
 *       counts on every key it put there, and answers "unknown" for a key an emptied table lacks).
 *       Cleared: every entry, as the library's own flush would (entries computed without the
 *       changed code come back as they were);
 *   <li>a <b>lazily computed field</b> of an object: every method reading it tests it for null
 *       first, and either computes and stores it when null (in code that can reach the change) or
 *       only ever stores null into it. Reset to null.
 * </ul>
 *
 * Only fields the library keeps to itself (not public) are considered: code outside the release
 * could use a public one as it likes. Calls are followed through every implementation in the
 * release ({@link ReleaseCalls}).
 */
final class DerivedCaches {
  private static final Set<String> MAPS =
      Set.of(
          "java/util/Map",
          "java/util/HashMap",
          "java/util/LinkedHashMap",
          "java/util/TreeMap",
          "java/util/WeakHashMap",
          "java/util/IdentityHashMap",
          "java/util/concurrent/ConcurrentMap",
          "java/util/concurrent/ConcurrentHashMap",
          "java/util/concurrent/ConcurrentSkipListMap");
  private static final Set<String> LOOKUPS = Set.of("get", "containsKey", "computeIfAbsent");
  private static final Set<String> FILLS = Set.of("put", "putIfAbsent", "computeIfAbsent");
  private static final Set<String> HARMLESS = Set.of("clear", "size", "isEmpty");
  private static final Set<String> VALUE_READS = Set.of("get", "computeIfAbsent", "getOrDefault");

  /**
   * What adds to a collection a map holds: a map of lists added to gathers what was registered. A
   * map of maps put into may be a memo per key (xstream's converters per type and arguments).
   */
  private static final Set<String> MUTATORS =
      Set.of("add", "addAll", "offer", "push", "addFirst", "addLast");

  /** A cache found: the field, and whether it is a map (cleared) or a lazy field (reset). */
  record Cache(String owner, String field, boolean isStatic, boolean isMap, String reason) {}

  /** What the release does with one field, gathered over all its methods. */
  private static final class Use {
    final String owner;
    final FieldNode field;
    boolean lookedUp;
    boolean filledByChange;
    boolean filledOnUse; // filled outside constructors and static initializers
    String problem; // why it is not a cache; null while none is known
    boolean lazyFilledByChange;
    final Set<Use> sharedWith = new HashSet<>(); // fields the same map is stored in

    Use(String owner, FieldNode field) {
      this.owner = owner;
      this.field = field;
    }

    void reject(String why) {
      if (problem == null) {
        problem = why;
      }
    }
  }

  private final ReleaseCalls calls;
  private final Map<String, Use> judged = new LinkedHashMap<>(); // owner.field, after find()

  DerivedCaches(ReleaseCalls calls) {
    this.calls = calls;
  }

  /** The caches of the release filled by code that can reach the update's changes. */
  List<Cache> find() {
    Map<String, Use> uses = new LinkedHashMap<>(); // owner.field
    for (ClassNode node : calls.classes().values()) {
      for (FieldNode f : node.fields) {
        Type type = Type.getType(f.desc);
        boolean isStatic = (f.access & Opcodes.ACC_STATIC) != 0;
        boolean isFinal = (f.access & Opcodes.ACC_FINAL) != 0;
        boolean isPublic = (f.access & Opcodes.ACC_PUBLIC) != 0;
        if (type.getSort() == Type.OBJECT
            && !isPublic
            && (MAPS.contains(type.getInternalName()) || !isStatic && !isFinal)) {
          uses.put(node.name + "." + f.name, new Use(node.name, f));
        }
      }
    }
    for (ClassNode node : calls.classes().values()) {
      for (MethodNode m : node.methods) {
        if (touches(m, uses)) {
          scan(node, m, uses);
        }
      }
    }
    shareFindings(uses.values());
    judged.putAll(uses);
    List<Cache> out = new ArrayList<>();
    for (Use u : uses.values()) {
      boolean isStatic = (u.field.access & Opcodes.ACC_STATIC) != 0;
      boolean isMap = MAPS.contains(Type.getType(u.field.desc).getInternalName());
      if (u.problem != null) {
        continue;
      }
      if (isMap && u.lookedUp && u.filledByChange && u.filledOnUse) {
        out.add(
            new Cache(
                u.owner,
                u.field.name,
                isStatic,
                true,
                "it caches results computed by code the update changes"));
      } else if (!isMap && u.lazyFilledByChange) {
        out.add(
            new Cache(
                u.owner,
                u.field.name,
                false,
                false,
                "it is computed on first use by code the update changes"));
      }
    }
    return out;
  }

  /**
   * Why {@link #find()} did not give the field of the release as a cache to clear (call it after
   * {@code find}); null when it did, or when it is no map field the rules above looked at for a
   * reason they do not name.
   */
  String whyNotCleared(String owner, String field) {
    Use u = judged.get(owner + "." + field);
    if (u == null) {
      ClassNode node = calls.classes().get(owner);
      FieldNode f =
          node == null
              ? null
              : node.fields.stream().filter(x -> x.name.equals(field)).findFirst().orElse(null);
      if (f == null) {
        return "it is not a field of the release";
      }
      return (f.access & Opcodes.ACC_PUBLIC) != 0
          ? "it is public: code outside the release may use it as it likes"
          : "it is not a JDK map jsplice knows (" + Type.getType(f.desc).getClassName() + ")";
    }
    if (u.problem != null) {
      return u.problem;
    }
    if (!MAPS.contains(Type.getType(u.field.desc).getInternalName())) {
      return "it is not a JDK map jsplice knows ("
          + Type.getType(u.field.desc).getClassName()
          + ")";
    }
    if (!u.lookedUp) {
      return "the release never looks keys up in it";
    }
    if (!u.filledOnUse) {
      return "only constructors and static initializers fill it";
    }
    if (!u.filledByChange) {
      return "no code that can reach the update's changes fills it";
    }
    return null;
  }

  /**
   * Fields holding the same map share what was found about it: used otherwise through one, it is no
   * cache through any; filled with results of changed code through one, it holds them for all.
   */
  private static void shareFindings(Iterable<Use> uses) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Use u : uses) {
        for (Use other : u.sharedWith) {
          if (u.problem != null && other.problem == null) {
            other.problem = u.problem + " (the map " + u.owner + "." + u.field.name + " holds)";
            changed = true;
          }
          if (u.filledByChange && !other.filledByChange) {
            other.filledByChange = true;
            changed = true;
          }
          if (u.filledOnUse && !other.filledOnUse) {
            other.filledOnUse = true;
            changed = true;
          }
          if (u.lookedUp && !other.lookedUp) {
            other.lookedUp = true;
            changed = true;
          }
        }
      }
    }
  }

  private static boolean touches(MethodNode m, Map<String, Use> uses) {
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof FieldInsnNode f && uses.containsKey(f.owner + "." + f.name)) {
        return true;
      }
    }
    return false;
  }

  private void scan(ClassNode node, MethodNode m, Map<String, Use> uses) {
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(node.name, m);
    } catch (AnalyzerException e) {
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof FieldInsnNode f && uses.containsKey(f.owner + "." + f.name)) {
          uses.get(f.owner + "." + f.name).reject("a method using it cannot be analyzed");
        }
      }
      return;
    }
    Origins origins = new Origins(m, frames);
    String method = node.name + "." + m.name + m.desc;
    boolean reaches = calls.reachesChange(method);
    boolean construction = m.name.equals("<init>") || m.name.equals("<clinit>");
    Map<Use, Boolean> nullTestedFirst = new HashMap<>();
    Set<Use> storedNonNull = new HashSet<>();
    Set<Use> storedComputed = new HashSet<>(); // a non-null value other than an empty JDK object
    Set<Use> storedNull = new HashSet<>();
    Map<Use, List<Integer>> nullTests = new HashMap<>(); // reads tested for null, by index
    Map<Use, List<Integer>> nonNullStores = new HashMap<>();
    Set<Use> renewedHere = new HashSet<>(); // given a new map here, outside the constructors
    Set<Use> filledHere = new HashSet<>();
    Keys keys = new Keys();
    for (int i = 0; i < m.instructions.size(); i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      Frame<SourceValue> frame = frames[i];
      if (frame == null) {
        continue;
      }
      if (insn instanceof FieldInsnNode f) {
        Use use = uses.get(f.owner + "." + f.name);
        if (use != null) {
          boolean isMap = MAPS.contains(Type.getType(use.field.desc).getInternalName());
          int op = f.getOpcode();
          if (op == Opcodes.GETFIELD || op == Opcodes.GETSTATIC) {
            boolean tested = isNullTest(m, i);
            nullTestedFirst.putIfAbsent(use, tested);
            if (tested) {
              nullTests.computeIfAbsent(use, u -> new ArrayList<>()).add(i);
            }
          } else {
            Set<AbstractInsnNode> value = origins.of(frame, 0);
            boolean isNull = value.stream().allMatch(v -> v.getOpcode() == Opcodes.ACONST_NULL);
            boolean fresh =
                value.stream().allMatch(v -> v.getOpcode() == Opcodes.NEW)
                    || value.stream().allMatch(v -> readsField(v, f));
            if (isMap) {
              if (!construction && !fresh && !isNull) {
                use.reject("assigned a map from elsewhere in " + method);
              } else if (!construction && !isNull) {
                renewedHere.add(use);
              }
            } else if (isNull) {
              storedNull.add(use);
            } else if (origins.fromParameter(value)) {
              use.reject("assigned a value the caller gives, in " + method);
            } else {
              storedNonNull.add(use);
              nonNullStores.computeIfAbsent(use, u -> new ArrayList<>()).add(i);
              if (!value.stream().allMatch(DerivedCaches::emptyJdkObject)) {
                storedComputed.add(use);
              }
            }
          }
        }
      }
      mapUses(insn, frame, origins, uses, method, reaches, construction, filledHere);
      if (!construction) {
        keys.note(insn, frame, origins, uses);
      }
    }
    keys.judge(method);
    for (Use use : renewedHere) {
      if (filledHere.contains(use)) {
        use.reject(
            "built whole in "
                + method
                + " (a new map, filled there): the library may count on every key it put there,"
                + " and an emptied map would lack them");
      }
    }
    lazyUses(
        m,
        uses,
        method,
        reaches,
        construction,
        nullTestedFirst,
        storedNonNull,
        storedNull,
        storedComputed);
    if (!construction) {
      for (Map.Entry<Use, List<Integer>> e : nonNullStores.entrySet()) {
        List<Integer> tests = nullTests.getOrDefault(e.getKey(), List.of());
        if (!tests.isEmpty() && storedWhereItHeldAValue(m, tests, e.getValue())) {
          e.getKey()
              .reject(
                  "assigned in "
                      + method
                      + " where it already held a value: it holds the object's progress (a"
                      + " cursor, the last result), which a reset would lose, not a value computed"
                      + " once");
        }
      }
    }
  }

  /**
   * Whether a store of a value into the field can follow, in the method, a test that found it
   * holding one: the walk starts at the branch each null test takes for a value, and at a null test
   * met again goes on only that way. A lazy getter stores only where its test found null; a cursor
   * ({@code while (next != null) { ...; next = it.hasNext() ? it.next() : null; }}) replaces the
   * value it tested. Flags the walk sets to a constant decide the branches that test them
   * (protobuf's {@code Any.unpack}: a cached value of another class sets {@code invalidClazz},
   * which then throws before the store).
   */
  private static boolean storedWhereItHeldAValue(
      MethodNode m, List<Integer> tests, List<Integer> stores) {
    Set<Integer> storeAt = new HashSet<>(stores);
    Set<Integer> testAt = new HashSet<>(tests);
    record Step(int at, Map<Integer, Integer> flags) {}
    ArrayDeque<Step> work = new ArrayDeque<>();
    Set<Step> seen = new HashSet<>();
    for (int t : tests) {
      work.add(new Step(heldBranch(m, t), Map.of()));
    }
    while (!work.isEmpty()) {
      Step step = work.poll();
      int k = step.at();
      if (seen.size() > 20_000) {
        return true; // too many paths to tell: no lazy field
      }
      if (k < 0 || !seen.add(step)) {
        continue;
      }
      if (storeAt.contains(k)) {
        return true;
      }
      AbstractInsnNode insn = m.instructions.get(k);
      Map<Integer, Integer> flags = step.flags();
      if (testAt.contains(k)) {
        work.add(new Step(heldBranch(m, k), flags));
        continue;
      }
      if (insn instanceof VarInsnNode v && v.getOpcode() == Opcodes.ISTORE) {
        Map<Integer, Integer> after = new HashMap<>(flags);
        Integer constant = intConstant(insn.getPrevious());
        if (constant == null) {
          after.remove(v.var);
        } else {
          after.put(v.var, constant);
        }
        flags = Map.copyOf(after);
      }
      if (insn instanceof VarInsnNode v
          && v.getOpcode() == Opcodes.ILOAD
          && flags.containsKey(v.var)
          && insn.getNext() instanceof JumpInsnNode j
          && (j.getOpcode() == Opcodes.IFEQ || j.getOpcode() == Opcodes.IFNE)) {
        boolean taken = (flags.get(v.var) == 0) == (j.getOpcode() == Opcodes.IFEQ);
        work.add(new Step(m.instructions.indexOf(taken ? j.label : j.getNext()), flags));
        continue;
      }
      for (int next : successors(m, insn, k)) {
        work.add(new Step(next, flags));
      }
    }
    return false;
  }

  /** The int an {@code iconst} pushes; null for any other instruction. */
  private static Integer intConstant(AbstractInsnNode insn) {
    int op = insn == null ? -1 : insn.getOpcode();
    return op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5 ? op - Opcodes.ICONST_0 : null;
  }

  /** Where the null test of the value read at {@code test} goes when it holds one. */
  private static int heldBranch(MethodNode m, int test) {
    JumpInsnNode jump = nullTestJump(m, test);
    return m.instructions.indexOf(
        jump.getOpcode() == Opcodes.IFNONNULL ? jump.label : jump.getNext());
  }

  /** Where control may go after the instruction at {@code k}, exception handlers included. */
  private static List<Integer> successors(MethodNode m, AbstractInsnNode insn, int k) {
    List<Integer> out = new ArrayList<>();
    int op = insn.getOpcode();
    if (insn instanceof JumpInsnNode j) {
      out.add(m.instructions.indexOf(j.label));
      if (op != Opcodes.GOTO) {
        out.add(k + 1);
      }
    } else if (insn instanceof TableSwitchInsnNode t) {
      out.add(m.instructions.indexOf(t.dflt));
      t.labels.forEach(l -> out.add(m.instructions.indexOf(l)));
    } else if (insn instanceof LookupSwitchInsnNode t) {
      out.add(m.instructions.indexOf(t.dflt));
      t.labels.forEach(l -> out.add(m.instructions.indexOf(l)));
    } else if (!(op >= Opcodes.IRETURN && op <= Opcodes.RETURN || op == Opcodes.ATHROW)
        && k + 1 < m.instructions.size()) {
      out.add(k + 1);
    }
    for (TryCatchBlockNode tc : m.tryCatchBlocks) {
      if (m.instructions.indexOf(tc.start) <= k && k < m.instructions.indexOf(tc.end)) {
        out.add(m.instructions.indexOf(tc.handler));
      }
    }
    return out;
  }

  /**
   * The keys one method fills candidate maps under and looks them up by, as the shapes of the code
   * that computes them ({@link Origins#shape}).
   */
  private static final class Keys {
    private final Map<Use, Set<String>> lookedUp = new HashMap<>();
    private final Map<Use, List<String>> filled = new HashMap<>();

    void note(
        AbstractInsnNode insn, Frame<SourceValue> frame, Origins origins, Map<String, Use> uses) {
      if (!(insn instanceof MethodInsnNode call) || call.getOpcode() == Opcodes.INVOKESTATIC) {
        return;
      }
      int args = Type.getArgumentTypes(call.desc).length;
      boolean lookup = call.name.equals("get") || call.name.equals("containsKey");
      boolean fill = call.name.equals("put") || call.name.equals("putIfAbsent");
      if (args == 0 || !lookup && !fill) {
        return;
      }
      for (Use use : mapsOf(origins.of(frame, args), uses)) {
        String key = origins.shape(origins.of(frame, args - 1), 0);
        if (lookup) {
          lookedUp.computeIfAbsent(use, u -> new HashSet<>()).add(key);
        } else {
          filled.computeIfAbsent(use, u -> new ArrayList<>()).add(key);
        }
      }
    }

    /**
     * Rejects the maps the method fills under a key that reads an object's field and that it did
     * not look up: a key the object learned from what it read, not one it was asked for.
     */
    void judge(String method) {
      for (Map.Entry<Use, List<String>> e : filled.entrySet()) {
        for (String key : e.getValue()) {
          if (key.contains(Origins.FIELD_READ)
              && !lookedUp.getOrDefault(e.getKey(), Set.of()).contains(key)) {
            e.getKey()
                .reject(
                    "filled in "
                        + method
                        + " under a key read from the object's state, not one it looked up: a"
                        + " table of what the object has read, which nothing fills again once"
                        + " emptied");
          }
        }
      }
    }
  }

  /** What the method does with the maps it reads from candidate fields. */
  private static void mapUses(
      AbstractInsnNode insn,
      Frame<SourceValue> frame,
      Origins origins,
      Map<String, Use> uses,
      String method,
      boolean reaches,
      boolean construction,
      Set<Use> filledHere) {
    if (insn instanceof MethodInsnNode call) {
      int args = Type.getArgumentTypes(call.desc).length;
      boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
      if (hasReceiver) {
        for (Use use : mapsOf(origins.of(frame, args), uses)) {
          if (FILLS.contains(call.name)) {
            filledHere.add(use);
            use.filledOnUse |= !construction;
            boolean computed =
                call.name.equals("computeIfAbsent")
                    || !origins.fromParameter(origins.of(frame, args - 2));
            String advanced =
                call.name.equals("computeIfAbsent")
                    ? null
                    : origins.advancedField(origins.shape(origins.of(frame, 0), 0));
            if (!computed) {
              use.reject("filled with values callers give, in " + method);
            } else if (advanced != null) {
              use.reject(
                  "filled in "
                      + method
                      + " with a value read from "
                      + advanced
                      + ", which that method also changes (a counter, a position): what the map"
                      + " holds is where the object put things, which nothing computes again");
            } else if (reaches) {
              use.filledByChange = true;
            }
          }
          if (LOOKUPS.contains(call.name)) {
            use.lookedUp = true;
          } else if (!FILLS.contains(call.name) && !HARMLESS.contains(call.name)) {
            use.reject("its map is used by " + call.name + " in " + method);
          }
        }
      }
      for (int a = 0; a < args; a++) {
        for (Use use : mapsOf(origins.of(frame, a), uses)) {
          use.reject("its map is handed to " + call.name + " in " + method);
        }
      }
      if (hasReceiver && call.owner.startsWith("java/util/") && MUTATORS.contains(call.name)) {
        for (AbstractInsnNode p : origins.of(frame, args)) {
          if (p instanceof MethodInsnNode read && VALUE_READS.contains(read.name)) {
            Frame<SourceValue> at = origins.frameAt(read);
            int readArgs = Type.getArgumentTypes(read.desc).length;
            for (Use use : at == null ? List.<Use>of() : mapsOf(origins.of(at, readArgs), uses)) {
              use.reject(
                  "its values are filled in place in "
                      + method
                      + " ("
                      + call.name
                      + " on a value it holds): it gathers what was added under each key, which"
                      + " nothing adds again once emptied");
            }
          }
        }
      }
    } else if (insn instanceof InvokeDynamicInsnNode indy) {
      int args = Type.getArgumentTypes(indy.desc).length;
      for (int a = 0; a < args; a++) {
        for (Use use : mapsOf(origins.of(frame, a), uses)) {
          use.reject("its map is captured by a lambda in " + method);
        }
      }
    } else if (insn.getOpcode() == Opcodes.ARETURN
        || insn.getOpcode() == Opcodes.AASTORE
        || insn.getOpcode() == Opcodes.ATHROW) {
      for (Use use : mapsOf(origins.of(frame, 0), uses)) {
        use.reject("its map is handed out by " + method);
      }
    } else if (insn instanceof FieldInsnNode f
        && (f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC)) {
      Use target = uses.get(f.owner + "." + f.name);
      for (Use use : mapsOf(origins.of(frame, 0), uses)) {
        if (target != null && MAPS.contains(Type.getType(target.field.desc).getInternalName())) {
          use.sharedWith.add(target); // one map, two holders (a reader built from a mapper)
          target.sharedWith.add(use);
        } else {
          use.reject("its map is stored elsewhere by " + method);
        }
      }
    }
  }

  /** The candidate map fields a value may have been read from. */
  private static List<Use> mapsOf(Set<AbstractInsnNode> producers, Map<String, Use> uses) {
    List<Use> out = new ArrayList<>();
    for (AbstractInsnNode p : producers) {
      if (p instanceof FieldInsnNode f
          && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC)) {
        Use use = uses.get(f.owner + "." + f.name);
        if (use != null && MAPS.contains(Type.getType(use.field.desc).getInternalName())) {
          out.add(use);
        }
      }
    }
    return out;
  }

  /**
   * A method that reads a lazily computed field must test it for null before anything else, and
   * then either compute and store it (a lazy getter) or store null (an invalidation). A method that
   * only tests it and uses it when present would skip its work after a reset (a validator that is
   * only consulted when built): such a field is no cache.
   */
  private static void lazyUses(
      MethodNode m,
      Map<String, Use> uses,
      String method,
      boolean reaches,
      boolean construction,
      Map<Use, Boolean> nullTestedFirst,
      Set<Use> storedNonNull,
      Set<Use> storedNull,
      Set<Use> storedComputed) {
    Set<Use> involved = new HashSet<>(nullTestedFirst.keySet());
    involved.addAll(storedNonNull);
    involved.addAll(storedNull);
    for (Use use : involved) {
      if (MAPS.contains(Type.getType(use.field.desc).getInternalName())) {
        continue;
      }
      boolean reads = nullTestedFirst.containsKey(use);
      if (reads && !nullTestedFirst.get(use)) {
        use.reject("read without a null test in " + method);
      } else if (reads && !storedNonNull.contains(use) && !storedNull.contains(use)) {
        // It would skip what it does with the value, rather than compute it again.
        use.reject("read, but neither computed nor dropped, in " + method);
      } else if (storedNonNull.contains(use)) {
        if (!reads && !construction) {
          use.reject("assigned without a null test in " + method);
        } else if (reads && reaches && storedComputed.contains(use)) {
          // Only a value computed by the method can be the changed code's result: an empty JDK
          // object built where the field was null (protobuf's EnumDescriptor.cleanupQueue, a new
          // ReferenceQueue beside the map of unknown values it is created with) is what it was.
          use.lazyFilledByChange = true;
        }
      }
    }
  }

  /**
   * Whether the instruction builds a JDK object with its constructor of no arguments ({@code NEW T;
   * DUP; INVOKESPECIAL T.<init>()V}) that is no collection or map: a reference queue or a lock,
   * which no changed code computes. A collection made empty where null may be filled afterwards
   * with what the changed code computes, and resetting it drops that.
   */
  private static boolean emptyJdkObject(AbstractInsnNode insn) {
    if (!(insn instanceof org.objectweb.asm.tree.TypeInsnNode t)
        || t.getOpcode() != Opcodes.NEW
        || !(t.desc.startsWith("java/") || t.desc.startsWith("javax/"))) {
      return false;
    }
    try {
      Class<?> c =
          Class.forName(t.desc.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      if (java.util.Collection.class.isAssignableFrom(c)
          || java.util.Map.class.isAssignableFrom(c)) {
        return false;
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    AbstractInsnNode dup = next(t);
    AbstractInsnNode init = dup == null ? null : next(dup);
    return dup != null
        && dup.getOpcode() == Opcodes.DUP
        && init instanceof MethodInsnNode c
        && c.getOpcode() == Opcodes.INVOKESPECIAL
        && c.owner.equals(t.desc)
        && c.name.equals("<init>")
        && c.desc.equals("()V");
  }

  private static AbstractInsnNode next(AbstractInsnNode insn) {
    AbstractInsnNode n = insn.getNext();
    while (n != null && n.getOpcode() < 0) {
      n = n.getNext();
    }
    return n;
  }

  /** Whether the value the instruction at {@code i} pushes is tested for null right away. */
  private static boolean isNullTest(MethodNode m, int i) {
    return nullTestJump(m, i) != null;
  }

  /** The jump that tests the value the instruction at {@code i} pushes for null; null if none. */
  private static JumpInsnNode nullTestJump(MethodNode m, int i) {
    AbstractInsnNode next = m.instructions.get(i).getNext();
    while (next != null && next.getOpcode() < 0) {
      next = next.getNext();
    }
    if (next instanceof JumpInsnNode j
        && (j.getOpcode() == Opcodes.IFNULL || j.getOpcode() == Opcodes.IFNONNULL)) {
      return j;
    }
    if (next instanceof InsnNode dup && dup.getOpcode() == Opcodes.DUP) {
      return nullTestJump(m, m.instructions.indexOf(dup));
    }
    if (next instanceof VarInsnNode store && store.getOpcode() == Opcodes.ASTORE) {
      AbstractInsnNode load = store.getNext();
      while (load != null && load.getOpcode() < 0) {
        load = load.getNext();
      }
      return load instanceof VarInsnNode l && l.getOpcode() == Opcodes.ALOAD && l.var == store.var
          ? nullTestJump(m, m.instructions.indexOf(load))
          : null;
    }
    return null;
  }

  private static boolean readsField(AbstractInsnNode producer, FieldInsnNode put) {
    return producer instanceof FieldInsnNode f
        && f.owner.equals(put.owner)
        && f.name.equals(put.name)
        && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC);
  }

  /**
   * Where values come from: the instructions that produced them, through local variables, {@code
   * dup} and {@code checkcast}.
   */
  private static final class Origins {
    private final MethodNode method;
    private final Frame<SourceValue>[] frames;

    Origins(MethodNode method, Frame<SourceValue>[] frames) {
      this.method = method;
      this.frames = frames;
    }

    /** The frame before the instruction, or null where it is not reached. */
    Frame<SourceValue> frameAt(AbstractInsnNode insn) {
      int i = method.instructions.indexOf(insn);
      return i < 0 ? null : frames[i];
    }

    /** The producers of the value {@code fromTop} below the top of the frame's stack. */
    Set<AbstractInsnNode> of(Frame<SourceValue> frame, int fromTop) {
      int index = frame.getStackSize() - 1 - fromTop;
      Set<AbstractInsnNode> out = new HashSet<>();
      if (index >= 0) {
        collect(frame.getStack(index), out, new HashSet<>());
      }
      return out;
    }

    /** What {@link #shape} writes for a read of a field, so that a key that reads one shows it. */
    static final String FIELD_READ = "field ";

    private static final int MAX_SHAPE_DEPTH = 6;

    /**
     * The code that computes a value, as text: two values of the same shape are computed the same
     * way from the same inputs (a parameter, a constant, the same fields). Calls and constructors
     * are followed into their operands; any other instruction is named by what it is.
     */
    String shape(Set<AbstractInsnNode> producers, int depth) {
      List<String> parts = new ArrayList<>();
      for (AbstractInsnNode p : producers) {
        parts.add(depth > MAX_SHAPE_DEPTH ? "..." : shapeOf(p, depth));
      }
      parts.sort(null);
      return parts.size() == 1 ? parts.get(0) : parts.toString();
    }

    private String shapeOf(AbstractInsnNode p, int depth) {
      if (p == PARAMETER) {
        return "parameter";
      }
      StringBuilder text = new StringBuilder();
      new InstructionText().append(p, text);
      Frame<SourceValue> at = frames[method.instructions.indexOf(p)];
      int op = p.getOpcode();
      if (p instanceof FieldInsnNode f && (op == Opcodes.GETFIELD || op == Opcodes.GETSTATIC)) {
        return FIELD_READ
            + f.owner
            + "."
            + f.name
            + (op == Opcodes.GETFIELD && at != null ? "@" + shape(of(at, 0), depth + 1) : "");
      }
      if (p instanceof VarInsnNode v && v.var == 0 && op == Opcodes.ALOAD) {
        return "this";
      }
      int operands = -1;
      AbstractInsnNode consumer = p;
      if (p instanceof MethodInsnNode call) {
        operands = Type.getArgumentTypes(call.desc).length + (op == Opcodes.INVOKESTATIC ? 0 : 1);
      } else if (p instanceof InvokeDynamicInsnNode indy) {
        operands = Type.getArgumentTypes(indy.desc).length;
      } else if (op == Opcodes.NEW) {
        consumer = constructorOf(p);
        operands =
            consumer == null ? -1 : Type.getArgumentTypes(((MethodInsnNode) consumer).desc).length;
      } else {
        operands = computedFrom(op);
      }
      Frame<SourceValue> in =
          consumer == null ? null : frames[method.instructions.indexOf(consumer)];
      if (operands < 0 || in == null) {
        return text.toString().trim();
      }
      List<String> args = new ArrayList<>();
      for (int k = operands - 1; k >= 0; k--) {
        args.add(shape(of(in, k), depth + 1));
      }
      return text.toString().trim() + args;
    }

    /**
     * How many values of the stack an instruction that computes one from them takes: array element
     * reads, arithmetic, comparisons and conversions; -1 for any other.
     */
    private static int computedFrom(int op) {
      if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD
          || op >= Opcodes.IADD && op <= Opcodes.DREM
          || op >= Opcodes.ISHL && op <= Opcodes.LXOR
          || op >= Opcodes.LCMP && op <= Opcodes.DCMPG) {
        return 2;
      }
      if (op >= Opcodes.INEG && op <= Opcodes.DNEG
          || op >= Opcodes.I2L && op <= Opcodes.I2S
          || op == Opcodes.ARRAYLENGTH
          || op == Opcodes.INSTANCEOF) {
        return 1;
      }
      return -1;
    }

    /** The {@code <init>} call that builds the object a {@code new} instruction created. */
    private MethodInsnNode constructorOf(AbstractInsnNode created) {
      for (int k = method.instructions.indexOf(created) + 1; k < method.instructions.size(); k++) {
        if (method.instructions.get(k) instanceof MethodInsnNode init
            && init.name.equals("<init>")
            && frames[k] != null
            && of(frames[k], Type.getArgumentTypes(init.desc).length).contains(created)) {
          return init;
        }
      }
      return null;
    }

    /**
     * A field (owner.name) that a value of shape {@code shape} reads and that this method also
     * writes, or null: the value is then the object's own state of the moment (a counter the fill
     * advances), not something a lookup could compute again.
     */
    String advancedField(String shape) {
      for (AbstractInsnNode insn : method.instructions) {
        if (insn instanceof FieldInsnNode f
            && (f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC)
            && shape.contains(FIELD_READ + f.owner + "." + f.name)) {
          String rest =
              shape.substring(
                  shape.indexOf(FIELD_READ + f.owner + "." + f.name)
                      + (FIELD_READ + f.owner + "." + f.name).length());
          if (rest.isEmpty() || !Character.isJavaIdentifierPart(rest.charAt(0))) {
            return LivePlanner.dotted(f.owner) + "." + f.name;
          }
        }
      }
      return null;
    }

    /** Whether a value may be one of the method's parameters (a caller gave it). */
    boolean fromParameter(Set<AbstractInsnNode> producers) {
      return producers.stream().anyMatch(p -> p == PARAMETER);
    }

    private static final AbstractInsnNode PARAMETER = new InsnNode(Opcodes.NOP);

    private void collect(SourceValue value, Set<AbstractInsnNode> out, Set<AbstractInsnNode> seen) {
      if (value.insns.isEmpty()) {
        out.add(PARAMETER);
        return;
      }
      for (AbstractInsnNode p : value.insns) {
        if (!seen.add(p)) {
          continue;
        }
        int op = p.getOpcode();
        Frame<SourceValue> at = frames[method.instructions.indexOf(p)];
        if (at == null) {
          continue;
        }
        if (p instanceof VarInsnNode v && op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
          boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
          SourceValue local = at.getLocal(v.var);
          if (local.insns.isEmpty() && v.var == 0 && !isStatic) {
            out.add(p); // this: not a parameter a caller chose
          } else {
            collect(local, out, seen);
          }
        } else if (p instanceof VarInsnNode && op >= Opcodes.ISTORE && op <= Opcodes.ASTORE
            || op == Opcodes.DUP
            || p instanceof TypeInsnNode && op == Opcodes.CHECKCAST) {
          collect(at.getStack(at.getStackSize() - 1), out, seen);
        } else {
          out.add(p);
        }
      }
    }
  }
}
