package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Decides how objects of a modified class that the program built before the update are brought to
 * the state the fixed constructors give new ones, where that can be done soundly without knowing
 * what they were built with:
 *
 * <ul>
 *   <li>a field whose old and new initializers both depend on nothing (no constructor argument, not
 *       the object) is recomputed: the agent compares what the object holds with the old initial
 *       value, and gives it the new one, or merges the difference into the collection it holds,
 *       keeping what the program changed;
 *   <li>a changed setup method the constructors call is run again on the object when it is
 *       idempotent ({@link IdempotentSetup}) and does everything the old one did;
 *   <li>map entries the old constructor always put and the fixed one puts only under a condition on
 *       static state ({@link GuardedEntries}) are removed while the condition is false.
 * </ul>
 *
 * The class's construction is then covered when its constructors differ only in the initializers of
 * recomputed (or added) fields and every other changed method they run is re-run.
 */
final class InstanceStatePlanner {
  /** A field recomputed in existing objects, with its old and new initializer expressions. */
  record Recompute(String field, String desc, InsnList newValue, InsnList oldValue) {}

  /** A setup method re-run on existing objects, and the fields it touches. */
  record Rerun(String method, List<String> fields) {}

  /**
   * For one class.
   *
   * @param constructorsCovered whether what the changed constructors (and the code only they run)
   *     did differently is all brought into existing objects
   * @param setupLeft changed setup methods that cannot be re-run, each with why and the state it
   *     sets up (what objects built before the update keep from its old version)
   * @param construction the changed construction code that may set the object's fields differently
   *     and that nothing here brings into existing objects (empty when covered)
   * @param dropped the map entries existing objects lose while the fixed constructors' condition
   *     for them is false
   * @param onlyChecks the changed construction methods ({@code name+desc}) that only add checks,
   *     after which objects built before the update need nothing themselves ({@link KeptObjects}
   *     looks for caches that would serve them again)
   */
  record ClassPlan(
      List<Recompute> recomputed,
      List<Rerun> rerun,
      boolean constructorsCovered,
      java.util.SortedMap<String, String> setupLeft,
      List<String> notes,
      List<ConstructionChanges.MethodChange> construction,
      List<GuardedEntries.Entry> dropped,
      List<String> onlyChecks) {}

  private final CallGraph calls;
  private final SideEffectCheck pure;
  private final Set<String> recomputedStatics; // owner.name:desc
  private final FieldWriters writers;
  private final FieldInitializers.LoadedFields loaded;

  /**
   * @param loaded how the running JVM types the fields the fixed release references (a retyped
   *     field keeps its old type, so a constructor that only names the new type builds the same
   *     object)
   */
  InstanceStatePlanner(
      CallGraph calls,
      SideEffectCheck pure,
      Set<String> recomputedStatics,
      FieldWriters writers,
      FieldInitializers.LoadedFields loaded) {
    this.calls = calls;
    this.pure = pure;
    this.recomputedStatics = recomputedStatics;
    this.writers = writers;
    this.loaded = loaded;
  }

  /**
   * @param name internal name of the modified class
   * @param pre its loaded version
   * @param post its fixed version, as installed
   * @param changed keys ({@code name+desc}) of its methods whose code the update changes
   * @param initOnly keys of the changed methods only constructors run (constructors included)
   * @param addedInitialized added instance fields whose initializer old objects get from their
   *     shadow fields
   */
  ClassPlan plan(
      String name,
      ClassNode pre,
      ClassNode post,
      Set<String> changed,
      Set<String> initOnly,
      Set<String> addedInitialized) {
    List<String> notes = new ArrayList<>();
    Set<String> construction = SetupMethods.reachedFromConstructors(post);
    Set<String> setup = SetupMethods.changedSetup(post, changed);
    List<Rerun> rerun = new ArrayList<>();
    java.util.SortedMap<String, String> setupLeft = new java.util.TreeMap<>();
    for (String method : setup) {
      String problem = rerunProblem(name, pre, post, method, construction);
      if (problem == null) {
        IdempotentSetup.Result result = setupAnalysis(name, post, construction).analyze(method);
        rerun.add(new Rerun(method, result.effects().fields()));
        notes.add(
            "objects built before the update have the setup method "
                + method
                + " run again: it is idempotent and does all the old one did");
      } else {
        setupLeft.put(
            method,
            ConstructionChanges.describe(name, method)
                + " set up "
                + joined(SetupMethods.stateSetUp(post, method))
                + "; it cannot be run again on them: "
                + problem);
        notes.add("the setup method " + method + " cannot be run again on old objects: " + problem);
      }
    }
    List<Recompute> recomputed = recomputable(name, pre, post);
    for (Recompute r : recomputed) {
      notes.add(
          "objects built before the update get "
              + r.field()
              + " recomputed from its new initializer (what the program changed stays)");
    }
    Set<String> preFields = new HashSet<>();
    Set<String> postFields = new HashSet<>(addedInitialized);
    recomputed.forEach(
        r -> {
          preFields.add(r.field());
          postFields.add(r.field());
        });
    boolean constructorsCovered =
        FieldInitializers.differOnlyIn(pre, post, preFields, postFields, loaded) != null;
    Set<String> rerunKeys = new HashSet<>();
    rerun.forEach(r -> rerunKeys.add(r.method()));
    for (String method : initOnly) {
      if (!method.startsWith("<init>") && !rerunKeys.contains(method)) {
        constructorsCovered = false;
      }
    }
    List<ConstructionChanges.MethodChange> differing = new ArrayList<>();
    List<GuardedEntries.Entry> dropped = new ArrayList<>();
    List<String> onlyChecks = new ArrayList<>();
    if (!constructorsCovered) {
      ConstructionChanges compared = new ConstructionChanges(pre, post, pure);
      for (String method : new TreeSet<>(initOnly)) {
        if (!rerunKeys.contains(method)) {
          ConstructionChanges.MethodChange change = compared.compare(method);
          if (change.inertOnly()) {
            notes.add(
                ConstructionChanges.describe(name, method)
                    + " differs only in what it logs or throws: objects built before the update"
                    + " need nothing");
          } else if (change.neutral()) {
            onlyChecks.add(method);
            notes.add(
                ConstructionChanges.describe(name, method)
                    + " only adds checks: objects it completes get the values the old code gave"
                    + " them, so objects built before the update need nothing");
          } else if (!guardsEntries(name, pre, post, method, dropped, notes)) {
            differing.add(change);
          }
        }
      }
      constructorsCovered = differing.isEmpty();
    }
    return new ClassPlan(
        recomputed, rerun, constructorsCovered, setupLeft, notes, differing, dropped, onlyChecks);
  }

  /**
   * Whether the constructor's change only guards map entries (see {@link GuardedEntries}); if so,
   * adds them (once per field, key and class) to {@code dropped} and says so in {@code notes}.
   */
  private static boolean guardsEntries(
      String name,
      ClassNode pre,
      ClassNode post,
      String method,
      List<GuardedEntries.Entry> dropped,
      List<String> notes) {
    List<GuardedEntries.Entry> entries = GuardedEntries.compare(pre, post, method);
    if (entries == null) {
      return false;
    }
    for (GuardedEntries.Entry e : entries) {
      if (dropped.stream()
          .noneMatch(
              d ->
                  d.field().equals(e.field())
                      && java.util.Objects.equals(d.key(), e.key())
                      && d.valueClass().equals(e.valueClass()))) {
        dropped.add(e);
      }
      notes.add(
          ConstructionChanges.describe(name, method)
              + " now puts "
              + e.describe()
              + " only under a condition on static state: objects built before the update lose"
              + " it while the condition is false (undo puts it back)");
    }
    return true;
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String joined(List<String> parts) {
    return parts.size() < 2
        ? String.join("", parts)
        : String.join(", ", parts.subList(0, parts.size() - 1))
            + " and "
            + parts.get(parts.size() - 1);
  }

  /** Why a changed setup method cannot be re-run on old objects; null when it can. */
  private String rerunProblem(
      String name, ClassNode pre, ClassNode post, String method, Set<String> construction) {
    IdempotentSetup.Result now = setupAnalysis(name, post, construction).analyze(method);
    if (!now.idempotent()) {
      return now.problem();
    }
    if (pre.methods.stream().noneMatch(m -> (m.name + m.desc).equals(method))) {
      return null; // the old constructors did not call it: nothing old to undo
    }
    IdempotentSetup.Result before = setupAnalysis(name, pre, construction).analyze(method);
    if (!before.idempotent()) {
      return "what its old version did cannot be told (" + before.problem() + ")";
    }
    if (!now.effects().assigned().containsAll(before.effects().assigned())
        || !now.effects().effects().stream()
            .filter(e -> e.startsWith("add "))
            .toList()
            .containsAll(
                before.effects().effects().stream().filter(e -> e.startsWith("add ")).toList())) {
      return "its old version did things the new one does not undo";
    }
    return null;
  }

  private IdempotentSetup setupAnalysis(String owner, ClassNode version, Set<String> construction) {
    Set<String> constructors = new HashSet<>();
    construction.stream().filter(k -> k.startsWith("<init>")).forEach(constructors::add);
    return new IdempotentSetup(
        version,
        pure,
        f -> writers.onlyAssignedBy(owner, f, constructors),
        f -> writers.onlyAssignedBy(owner, f, construction));
  }

  /** The instance fields whose initializer changed and can be recomputed in old objects. */
  private List<Recompute> recomputable(String name, ClassNode pre, ClassNode post) {
    List<Recompute> out = new ArrayList<>();
    for (FieldNode f : post.fields) {
      if ((f.access & Opcodes.ACC_STATIC) != 0 || !valueLike(f.desc)) {
        continue;
      }
      boolean inPre =
          pre.fields.stream()
              .anyMatch(
                  p ->
                      p.name.equals(f.name)
                          && p.desc.equals(f.desc)
                          && (p.access & Opcodes.ACC_STATIC) == 0);
      if (!inPre) {
        continue; // an added field: its shadow gives old objects its initial value
      }
      InsnList now = FieldInitializers.initializer(post, f.name, f.desc);
      InsnList before = FieldInitializers.initializer(pre, f.name, f.desc);
      if (now == null || before == null || readsObject(now) || readsObject(before)) {
        continue;
      }
      boolean differs = !text(now).equals(text(before)) || readsChange(now);
      if (!differs
          || readsChange(before)
          || pure.check(name, list(now)).isPresent()
          || pure.check(name, list(before)).isPresent()) {
        continue;
      }
      out.add(new Recompute(f.name, f.desc, now, before));
    }
    return out;
  }

  /**
   * Whether values of the type can be compared by {@code equals} and merged: primitives, strings,
   * boxes, and the JDK's collections and maps (of such values, which the agent checks).
   */
  private static boolean valueLike(String desc) {
    Type type = Type.getType(desc);
    if (type.getSort() != Type.OBJECT) {
      return type.getSort() != Type.ARRAY;
    }
    String n = type.getInternalName();
    return n.equals("java/lang/String")
        || n.startsWith("java/lang/")
            && Set.of("Integer", "Long", "Short", "Byte", "Boolean", "Character", "Double", "Float")
                .contains(n.substring("java/lang/".length()))
        || n.startsWith("java/util/")
            && Set.of(
                    "Set",
                    "HashSet",
                    "LinkedHashSet",
                    "TreeSet",
                    "SortedSet",
                    "NavigableSet",
                    "List",
                    "ArrayList",
                    "LinkedList",
                    "Collection",
                    "Map",
                    "HashMap",
                    "LinkedHashMap",
                    "TreeMap",
                    "SortedMap",
                    "NavigableMap")
                .contains(n.substring("java/util/".length()));
  }

  /** Whether the expression reads the object being built (it must be computable without it). */
  private static boolean readsObject(InsnList expression) {
    for (AbstractInsnNode insn : expression) {
      if (insn instanceof VarInsnNode) {
        return true;
      }
    }
    return false;
  }

  /** Whether the expression runs code the update changes or reads static state it recomputes. */
  private boolean readsChange(InsnList expression) {
    for (AbstractInsnNode insn : expression) {
      if (insn instanceof FieldInsnNode f
          && f.getOpcode() == Opcodes.GETSTATIC
          && recomputedStatics.contains(f.owner + "." + f.name + ":" + f.desc)) {
        return true;
      }
      if (insn instanceof MethodInsnNode m) {
        if (calls.reachesChange(m.owner, m.name, m.desc)) {
          return true;
        }
        for (String read : calls.staticReads(m.owner, m.name, m.desc)) {
          if (recomputedStatics.contains(read)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<AbstractInsnNode> list(InsnList insns) {
    List<AbstractInsnNode> out = new ArrayList<>();
    insns.forEach(out::add);
    return out;
  }

  private static String text(InsnList insns) {
    StringBuilder out = new StringBuilder();
    InstructionText printer = new InstructionText();
    for (AbstractInsnNode insn : insns) {
      printer.append(insn, out);
    }
    return out.toString();
  }
}
