package io.jsplice.create.live;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.model.Applicability;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StaleState;
import io.jsplice.model.StateAction;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides, class by class, whether and how a diff can be applied to a running JVM, and produces the
 * classes to install.
 *
 * <p>Method bodies are swapped by redefinition. What a stock JVM cannot redefine is lowered into
 * what it can: added methods and static fields move to a companion class defined next to the
 * patched class; added instance fields become shadow fields; new classes of the fixed release are
 * defined in the patched classes' loader; removed members and changed flags stay as the loaded
 * class has them. Static state whose initializer changed is recomputed from the new initializer's
 * slice for that field, when that has no side effects. Synthetic names are mapped back to the
 * running JVM's ({@link SyntheticRenames}). What cannot be done is refused with the reason.
 */
public final class LivePlanner {
  private LivePlanner() {}

  /** The plan for a whole diff: class entries, state actions and files for the update. */
  /**
   * @param hooks binary names of hooks the planner generated (their classes are among the files)
   * @param sources for each class entry of the update (dotted installed name), the diff class it
   *     comes from (internal name, {@link ClassDiff#name()}); companions map to their host's
   */
  public record Plan(
      List<ClassUpdate> classes,
      List<StateAction> stateActions,
      List<InstanceAction> instanceActions,
      Map<String, byte[]> files,
      Verdict verdict,
      List<String> notes,
      List<StaleState> stale,
      Map<String, String> sources,
      List<String> hooks) {}

  /**
   * @param updateId written into every installed class's {@code Patched} marker, and part of
   *     companion names
   */
  public static Plan plan(ClassSetDiff diff, String updateId) {
    return plan(diff, updateId, name -> null);
  }

  /**
   * @param dependencies class files of the libraries the running release depends on, by internal
   *     name (null if unknown): they let the planner check that installed code links and follow
   *     calls into them when it judges side effects
   */
  public static Plan plan(
      ClassSetDiff diff, String updateId, Function<String, byte[]> dependencies) {
    return plan(diff, updateId, dependencies, false);
  }

  /**
   * @param firstLoad whether a modified class whose change a loaded class cannot take (its
   *     superclass, interfaces or kind: {@link SchemaComparison}) is planned as the fixed release
   *     has it, like a class the release adds, to be installed as it first loads ({@link
   *     Mechanism#FIRST_LOAD}) rather than refused
   */
  public static Plan plan(
      ClassSetDiff diff,
      String updateId,
      Function<String, byte[]> dependencies,
      boolean firstLoad) {
    return new Run(diff, updateId, dependencies, firstLoad).plan();
  }

  /**
   * One planning run: it sets up the running JVM's view of the update's classes, then lets each
   * planner decide its part, in the order their decisions depend on each other.
   */
  private static final class Run {
    private final ClassSetDiff diff;
    private final String updateId;
    private final Function<String, byte[]> dependencies;
    private final PostView post;
    private final UpdateClasses update;
    private final InstalledWorld world;
    private final Map<String, String> companions = new LinkedHashMap<>(); // host -> companion
    private final PlanOutput output = new PlanOutput();

    Run(
        ClassSetDiff diff,
        String updateId,
        Function<String, byte[]> dependencies,
        boolean firstLoad) {
      this.diff = diff;
      this.dependencies = dependencies;
      this.updateId = updateId;
      SyntheticRenames renames = SyntheticRenames.of(diff);
      this.post = new PostView(diff.post(), renames);
      ClassHierarchy postHierarchy = new ClassHierarchy(post::bytes);
      ClassHierarchy installed =
          new ClassHierarchy(
              // The running JVM has the old release; the classes the update installs are put in
              // below with their installed shape.
              name -> {
                byte[] b = diff.pre().bytes(name);
                return b != null ? b : dependencies.apply(name);
              });
      this.world = new InstalledWorld(postHierarchy, installed);
      this.update = new UpdateClasses(diff, renames, post, firstLoad);
    }

    Plan plan() {
      registerModified();
      Map<String, ClassNode> relaxed = registerAdded();
      MergePlanner merges = MergePlanner.decide(update, world);
      FieldRetyping.decide(update, world);
      AddedEnumConstants.decide(update);
      SerializationMethods serialization =
          SerializationMethods.decide(
              update, new SideEffectCheck(this::releaseOrDependency), updateId);
      AddedConstructors constructors = AddedConstructors.decide(update, world, updateId);
      CallGraph calls = new CallGraph(post::bytes, update.changedMethods(), update.added.keySet());
      Set<String> unchanged = update.builtThroughUpdate(calls);
      Map<String, ClassState> states = planStaticState(calls, unchanged);
      Map<String, InstanceStatePlanner.ClassPlan> objects = planObjects(calls, states);
      StaticStateCopies copies = new StaticStateCopies(update.pairs, update.changedMethods());
      Set<String> initialValues = new java.util.HashSet<>();
      objects.forEach(
          (name, p) -> {
            if (!p.recomputed().isEmpty() || !p.dropped().isEmpty()) {
              initialValues.add(name);
            }
          });
      RelocationPlanner.relocate(
          update, states, constructors, world, updateId, companions, initialValues);
      OverridePlanner overrides = OverridePlanner.plan(update, world, updateId, companions);
      merges.relocate(overrides);
      CompanionInstaller companionInstaller =
          new CompanionInstaller(
              world, constructors, new OverrideDispatch(update, world, companions), output);
      ModifiedClassInstaller modified =
          new ModifiedClassInstaller(
              update,
              world,
              updateId,
              constructors,
              companions,
              companionInstaller,
              new BuiltStateCoverage(post, diff.pre()::bytes, world, output),
              overrides,
              new RetiredObjects(diff.pre().classes().values(), diff.post().classes().values()),
              objects,
              copies,
              output);
      for (String name : update.pairs.keySet()) {
        modified.install(name, states.get(name));
      }
      nameUnchangedCopies(copies);
      StateOnlyInstaller stateOnly =
          new StateOnlyInstaller(world, updateId, post, companions, companionInstaller, output);
      for (String name : unchanged) {
        stateOnly.install(name, states.get(name));
      }
      DispatchHostInstaller hosts =
          new DispatchHostInstaller(diff, world, updateId, companions, companionInstaller, output);
      overrides.dispatchOnly().forEach(hosts::install);
      AddedClassInstaller added =
          new AddedClassInstaller(update, world, updateId, constructors, merges, output);
      relaxed.forEach(added::install);
      addRemovedClasses();
      if (serialization.any()) {
        String hook =
            "jsplice/hooks/RefuseDeserialization$" + updateId.replaceAll("[^A-Za-z0-9_]", "_");
        output.files.put(UpdatePackage.HOOK + hook + ".class", serialization.hook(hook));
        output.hooks.add(dotted(hook));
      }
      ClearedCaches cleared = clearDerivedCaches(states);
      nameKeptObjects(objects, cleared);
      Set<String> unchecked =
          LinkCheck.refuseUnlinked(
              output.files,
              output.classes,
              world.installed,
              name -> post.bytes(name) != null && !update.existsInstalled(name));
      if (!unchecked.isEmpty()) {
        output.addPlanNotes(
            List.of(
                "not checked: the update's code uses "
                    + unchecked.size()
                    + (unchecked.size() == 1 ? " class" : " classes")
                    + " create was not given (neither in the release, its dependencies nor the"
                    + " JDK), assumed to link; each class names them (--verbose, inspect, --json),"
                    + " and create --dependencies with the program's class path checks them"),
            Verdict.LIVE,
            List.of());
      }
      noteInlinedConstants();
      return output.plan();
    }

    /**
     * Says which constants other code may have copied: javac inlines a compile-time constant into
     * every class compiled against it, so the program's own code (and other libraries) keep the old
     * value of one the fixed release changes, with the fixed release started cold too, until
     * recompiled (json-smart 2.5.2's parser modes, which the program passes to the parser it
     * builds). Only constants code outside the package can read (public, or protected).
     */
    private static String literal(Object value) {
      return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }

    private void noteInlinedConstants() {
      List<String> inlined = new java.util.ArrayList<>();
      for (ClassDiff c : diff.classes()) {
        if (c.pre() == null || c.post() == null) {
          continue;
        }
        ClassNode pre = read(c.pre());
        ClassNode post = read(c.post());
        for (io.jsplice.model.Change change : c.changes()) {
          if (change.kind() != io.jsplice.model.ChangeKind.CONSTANT_VALUE_CHANGED
              || change.member() == null) {
            continue;
          }
          String name = change.member().split(":", 2)[0];
          pre.fields.stream()
              .filter(f -> f.name.equals(name) && f.value != null)
              .filter(f -> (f.access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0)
              .filter(f -> (pre.access & Opcodes.ACC_PUBLIC) != 0)
              .findFirst()
              .ifPresent(
                  f ->
                      inlined.add(
                          dotted(pre.name)
                              + "."
                              + name
                              + " ("
                              + literal(f.value)
                              + " -> "
                              + post.fields.stream()
                                  .filter(n -> n.name.equals(name) && n.value != null)
                                  .map(n -> literal(n.value))
                                  .findFirst()
                                  .orElse("no constant")
                              + ")"));
        }
      }
      if (!inlined.isEmpty()) {
        output.addPlanNotes(
            List.of(
                "compile-time constants change value: "
                    + String.join(", ", inlined)
                    + "; javac copied the old value into code compiled against the old release,"
                    + " which keeps it (the program's own code included, with the fixed release"
                    + " too) until it is recompiled"),
            Verdict.LIVE,
            List.of());
      }
    }

    /**
     * Names the objects of classes the update does not change whose construction took static state
     * it replaces ({@link StaticStateCopies}); the modified classes name their own.
     */
    private void nameUnchangedCopies(StaticStateCopies copies) {
      List<StaleState> stale = new java.util.ArrayList<>();
      if (copies.any()) {
        diff.pre()
            .classes()
            .forEach(
                (name, bytes) -> {
                  if (!update.pairs.containsKey(name) && post.bytes(name) != null) {
                    StaleState s = copies.staleObjects(read(bytes));
                    if (s != null) {
                      stale.add(s);
                    }
                  }
                });
      }
      if (!stale.isEmpty()) {
        output.addPlanNotes(
            stale.stream().map(s -> "objects of " + s.owner() + ": " + s.reason()).toList(),
            Verdict.LIVE_NEEDS_HOOK,
            stale);
      }
    }

    /** A class of the fixed release, else of its dependencies; null if neither has it. */
    private byte[] releaseOrDependency(String name) {
      byte[] b = post.bytes(name);
      return b != null ? b : dependencies.apply(name);
    }

    /** Puts the loaded classes the update modifies into the world with their old shape and nest. */
    private void registerModified() {
      for (Map.Entry<String, ClassNode[]> pair : update.pairs.entrySet()) {
        world.role(pair.getKey(), InstalledWorld.Role.EXISTING);
        world.installed.put(diff.pre().bytes(pair.getKey()));
        recordNest(pair.getValue()[0]);
      }
    }

    private void recordNest(ClassNode pre) {
      if (pre.nestHostClass != null) {
        byte[] host = diff.pre().bytes(pre.nestHostClass);
        List<String> members = host == null ? List.of(pre.name) : membersOf(read(host));
        world.nest(pre.nestHostClass, members);
      } else if (pre.nestMembers != null) {
        world.nest(pre.name, pre.nestMembers);
      }
    }

    private static List<String> membersOf(ClassNode host) {
      return host.nestMembers == null ? List.of() : host.nestMembers;
    }

    /**
     * Puts the classes the update adds into the world with their relaxed shape and their nest;
     * returns them relaxed, by installed name.
     */
    private Map<String, ClassNode> registerAdded() {
      Set<String> newClasses = update.added.keySet();
      Map<String, ClassNode> relaxed = new LinkedHashMap<>();
      for (String name : newClasses) {
        ClassNode node = InstalledClassBuilder.relaxNewClass(read(post.bytes(name)), newClasses);
        relaxed.put(name, node);
        world.role(name, InstalledWorld.Role.NEW);
        world.installed.put(ClassWrites.plain(node));
        world.nest(
            node.nestHostClass != null ? node.nestHostClass : name,
            node.nestMembers == null ? List.of() : node.nestMembers);
      }
      return relaxed;
    }

    /**
     * Decides the static state of the modified classes and of the unchanged ones built through
     * them, following calls into the release and its dependencies to judge side effects.
     */
    private Map<String, ClassState> planStaticState(CallGraph calls, Set<String> unchanged) {
      Map<String, ClassNode[]> withUnchanged = new LinkedHashMap<>(update.pairs);
      unchanged.forEach(
          name -> {
            ClassNode node = read(post.bytes(name));
            withUnchanged.put(name, new ClassNode[] {node, node});
          });
      Set<String> construction = new java.util.HashSet<>();
      update.modified.forEach(
          (name, c) ->
              c.changes().stream()
                  .filter(ch -> ch.kind() == io.jsplice.model.ChangeKind.INIT_ONLY_CODE_CHANGED)
                  .filter(ch -> ch.member() != null && ch.member().contains("("))
                  .forEach(ch -> construction.add(name + "." + ch.member())));
      Set<String> beyondConstructors = new java.util.HashSet<>(update.changedMethods());
      beyondConstructors.removeAll(construction);
      beyondConstructors.removeIf(m -> m.contains(".<init>("));
      // Construction code that only gains checks builds, in a static initializer that completed,
      // what the fixed code builds: its calls are not followed. Planned again without any of it
      // whose old code reads a static field that gets a new value, until none does.
      Set<String> onlyChecks = constructorsThatOnlyAddChecks(construction);
      while (true) {
        Set<String> valueChanges = new java.util.HashSet<>(update.changedMethods());
        valueChanges.removeAll(onlyChecks);
        CallGraph triggers =
            onlyChecks.isEmpty()
                ? calls
                : new CallGraph(post::bytes, valueChanges, update.added.keySet(), onlyChecks);
        Map<String, ClassState> planned =
            StaticStatePlanner.plan(
                withUnchanged,
                triggers,
                new CallGraph(post::bytes, beyondConstructors, update.added.keySet(), construction),
                new GuardCalls(update.diff.pre()::bytes, post::bytes),
                new SideEffectCheck(this::releaseOrDependency));
        Set<String> newValues = new java.util.HashSet<>();
        planned.forEach(
            (owner, state) ->
                state.decisions().forEach(d -> newValues.add(owner + "." + d.field())));
        if (!onlyChecks.removeIf(
            m -> oldCode(m, triggers).reads().stream().anyMatch(newValues::contains))) {
          return planned;
        }
      }
    }

    /**
     * Changed construction code ({@code owner.name+desc}) whose new version is the old one with
     * checks inserted ({@link ConstructionChanges}), and whose code the old version ran too calls
     * no other change: a static initializer of the running JVM that completed built through it what
     * the fixed one builds, whose checks pass for the same arguments (a fixed release whose classes
     * fail to initialize is no fix), unless the old code reads static state that changes.
     */
    private Set<String> constructorsThatOnlyAddChecks(Set<String> construction) {
      Set<String> out = new java.util.HashSet<>();
      SideEffectCheck pure = new SideEffectCheck(this::releaseOrDependency);
      for (String method : update.changedMethods()) {
        int dot = method.indexOf('.');
        String owner = method.substring(0, dot);
        String key = method.substring(dot + 1);
        ClassNode[] pair = update.pairs.get(owner);
        if (pair != null
            && (key.startsWith("<init>(") || construction.contains(method))
            && new ConstructionChanges(pair[0], pair[1], pure).compare(key).neutral()) {
          out.add(method);
        }
      }
      boolean dropped = true;
      while (dropped && !out.isEmpty()) {
        Set<String> changes = new java.util.HashSet<>(update.changedMethods());
        changes.removeAll(out);
        CallGraph without = new CallGraph(post::bytes, changes, update.added.keySet(), out);
        dropped = out.removeIf(method -> oldCode(method, without).callsAChange());
      }
      return out;
    }

    /**
     * What both versions of a method run: the calls and static reads the old version made too (what
     * the new one adds is its checks).
     *
     * @param callsAChange whether one of those calls reaches a change in the graph
     * @param reads the static fields ({@code owner.name:desc}) it reads, directly or through calls
     */
    private record OldCode(boolean callsAChange, Set<String> reads) {}

    private OldCode oldCode(String method, CallGraph calls) {
      int dot = method.indexOf('.');
      ClassNode[] pair = update.pairs.get(method.substring(0, dot));
      String key = method.substring(dot + 1);
      Set<String> before = new java.util.HashSet<>();
      for (MethodNode m : pair[0].methods) {
        if ((m.name + m.desc).equals(key)) {
          m.instructions.forEach(i -> before.add(reference(i)));
        }
      }
      boolean callsAChange = false;
      Set<String> reads = new java.util.HashSet<>();
      for (MethodNode m : pair[1].methods) {
        if (!(m.name + m.desc).equals(key)) {
          continue;
        }
        for (AbstractInsnNode i : m.instructions) {
          String ref = reference(i);
          if (ref == null || !before.contains(ref)) {
            continue;
          }
          if (i instanceof MethodInsnNode c) {
            callsAChange |= calls.reachesChange(c.owner, c.name, c.desc);
            reads.addAll(calls.staticReads(c.owner, c.name, c.desc));
          } else {
            reads.add(ref);
          }
        }
      }
      return new OldCode(callsAChange, reads);
    }

    /** A call or static read as {@code owner.name+desc}; null for any other instruction. */
    private static String reference(AbstractInsnNode insn) {
      if (insn instanceof MethodInsnNode c) {
        return c.owner + "." + c.name + c.desc;
      }
      if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC) {
        return f.owner + "." + f.name + ":" + f.desc;
      }
      return null;
    }

    /**
     * Decides, for each modified class, how objects built before the update are brought to the
     * state the fixed constructors give new ones.
     */
    private Map<String, InstanceStatePlanner.ClassPlan> planObjects(
        CallGraph calls, Map<String, ClassState> states) {
      Set<String> recomputedStatics = new java.util.HashSet<>();
      states.forEach(
          (owner, state) ->
              state.decisions().stream()
                  .filter(d -> d.strategy() != StaticStatePlanner.Strategy.HOOK)
                  .forEach(d -> recomputedStatics.add(owner + "." + d.field())));
      InstanceStatePlanner planner =
          new InstanceStatePlanner(
              calls,
              new SideEffectCheck(this::releaseOrDependency),
              recomputedStatics,
              new FieldWriters(post),
              world::loadedFieldDescriptor);
      Map<String, InstanceStatePlanner.ClassPlan> out = new LinkedHashMap<>();
      for (Map.Entry<String, ClassNode[]> pair : update.pairs.entrySet()) {
        ClassDiff c = update.modified.get(pair.getKey());
        Set<String> changed = new java.util.HashSet<>();
        Set<String> initOnly = new java.util.HashSet<>();
        for (io.jsplice.model.Change ch : c.changes()) {
          if (ch.member() == null) {
            continue;
          }
          if (ch.kind() == io.jsplice.model.ChangeKind.METHOD_BODY_CHANGED) {
            changed.add(ch.member());
          } else if (ch.kind() == io.jsplice.model.ChangeKind.INIT_ONLY_CODE_CHANGED) {
            changed.add(ch.member());
            initOnly.add(ch.member());
          }
        }
        ClassNode post = pair.getValue()[1];
        Set<String> addedInitialized = new java.util.HashSet<>();
        for (org.objectweb.asm.tree.FieldNode f :
            update.schemas.get(pair.getKey()).addedFields.values()) {
          if ((f.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0
              && FieldInitializers.forOldObjects(
                      update.schemas.get(pair.getKey()), post, f.name, f.desc)
                  != null) {
            addedInitialized.add(f.name);
          }
        }
        out.put(
            pair.getKey(),
            planner.plan(
                pair.getKey(), pair.getValue()[0], post, changed, initOnly, addedInitialized));
      }
      return out;
    }

    /** Whether the update adds the instance field to a class the running JVM has loaded. */
    private boolean addedField(String owner, String field) {
      SchemaComparison schema = update.schemas.get(owner);
      return schema != null
          && schema.addedFields.values().stream().anyMatch(f -> f.name.equals(field));
    }

    /** The calls and the derived caches {@link #clearDerivedCaches} judged the release by. */
    private record ClearedCaches(ReleaseCalls calls, DerivedCaches caches) {}

    /**
     * Clears the caches of results computed by changed code ({@link DerivedCaches}): a static one
     * by a state action, those objects hold by instance actions on the objects found on the heap.
     */
    private ClearedCaches clearDerivedCaches(Map<String, ClassState> states) {
      Set<String> changedStatics = new java.util.HashSet<>();
      states.forEach(
          (owner, state) ->
              state.decisions().stream()
                  .filter(d -> d.strategy() != StaticStatePlanner.Strategy.HOOK)
                  .forEach(d -> changedStatics.add(owner + "." + d.field())));
      ReleaseCalls calls =
          new ReleaseCalls(post, update.changedMethods(), update.added.keySet(), changedStatics);
      List<String> notes = new java.util.ArrayList<>();
      DerivedCaches caches = new DerivedCaches(calls);
      for (DerivedCaches.Cache cache : caches.find()) {
        if (!cache.isStatic() && addedField(cache.owner(), cache.field())) {
          continue; // in shadow storage: objects built before the update cached nothing there
        }
        String owner = dotted(cache.owner());
        if (cache.isStatic()) {
          boolean known =
              output.actions.stream()
                  .anyMatch(a -> a.owner().equals(owner) && a.field().equals(cache.field()));
          if (!known) {
            output.actions.add(
                new StateAction(
                    StateAction.Kind.CLEAR, owner, cache.field(), null, cache.reason()));
          }
        } else {
          output.instanceActions.add(
              new InstanceAction(
                  cache.isMap() ? InstanceAction.Kind.CLEAR_CACHE : InstanceAction.Kind.RESET_LAZY,
                  owner,
                  cache.field(),
                  null,
                  List.of(),
                  cache.reason()));
        }
        notes.add(
            (cache.isMap() ? "the cache " : "the lazily computed ")
                + owner
                + "."
                + cache.field()
                + (cache.isStatic() ? " is cleared" : " is cleared in the objects that hold it")
                + " ("
                + cache.reason()
                + "); the library computes it again with the fixed code");
      }
      if (!notes.isEmpty()) {
        output.addPlanNotes(notes, Verdict.LIVE, List.of());
      }
      return new ClearedCaches(calls, caches);
    }

    /**
     * Objects built before the update by construction code that only gains checks need nothing
     * themselves ({@link InstanceStatePlanner}), unless the release keeps them in a map by what
     * they were built from ({@link KeptObjects}): then one the fixed code would have refused to
     * build is served again for the same input. Such a map the derived caches clear is in force;
     * any other is named as stale state, so apply refuses the update unless told to accept it.
     */
    private void nameKeptObjects(
        Map<String, InstanceStatePlanner.ClassPlan> objects, ClearedCaches cleared) {
      Map<String, Set<String>> onlyChecks = new java.util.TreeMap<>();
      objects.forEach(
          (name, p) -> {
            if (p.constructorsCovered() && !p.onlyChecks().isEmpty()) {
              Set<String> methods = new java.util.HashSet<>();
              p.onlyChecks().forEach(m -> methods.add(name + "." + m));
              onlyChecks.put(name, methods);
            }
          });
      if (onlyChecks.isEmpty()) {
        return;
      }
      List<String> notes = new java.util.ArrayList<>();
      List<StaleState> stale = new java.util.ArrayList<>();
      for (KeptObjects.Place place : new KeptObjects(cleared.calls()).find(onlyChecks)) {
        String built = dotted(place.builtClass());
        String checks =
            onlyChecks.get(place.builtClass()).stream()
                    .map(
                        m ->
                            ConstructionChanges.describe(
                                place.builtClass(), m.substring(m.indexOf('.') + 1)))
                    .sorted()
                    .collect(java.util.stream.Collectors.joining(", "))
                + (onlyChecks.get(place.builtClass()).size() == 1
                    ? " only adds checks"
                    : " only add checks");
        String method = place.method();
        int dot = method.indexOf('.');
        String filler =
            dotted(method.substring(0, dot))
                + "."
                + ConstructionChanges.describe(method.substring(0, dot), method.substring(dot + 1));
        String kept =
            "it may keep objects of "
                + built
                + " built before the update, by what they were built from (filled on demand in "
                + filler
                + "), and serve one again for the same input; "
                + checks
                + ", which such an object never passed";
        if (place.field() == null) {
          stale.add(
              new StaleState(
                  StaleState.Kind.OBJECTS,
                  built,
                  null,
                  "a map that "
                      + filler
                      + " fills on demand, which jsplice cannot tie to a field, may keep them and"
                      + " serve one again for the same input; "
                      + checks
                      + ", which such an object never passed"));
          notes.add(
              "objects of "
                  + built
                  + " built before the update may be served again by a map "
                  + filler
                  + " fills on demand: not in force while the program holds them");
          continue;
        }
        boolean added =
            update.added.containsKey(place.owner()) || addedField(place.owner(), place.field());
        String field = dotted(place.owner()) + "." + place.field();
        if (added) {
          continue; // the old release had no such map: nothing built before the update is in it
        }
        if (clears(place)) {
          notes.add("the cache " + field + " is cleared: " + kept);
          continue;
        }
        String why = cleared.caches().whyNotCleared(place.owner(), place.field());
        stale.add(
            new StaleState(
                StaleState.Kind.CACHE,
                dotted(place.owner()),
                place.field(),
                kept
                    + "; jsplice cannot clear it: "
                    + (why == null ? "it is no cache by the derived caches' rules" : why)));
        notes.add(
            "the cache "
                + field
                + " is not in force: "
                + kept
                + (why == null ? "" : "; it cannot be cleared: " + why));
      }
      if (!stale.isEmpty()) {
        output.addPlanNotes(notes, Verdict.LIVE_NEEDS_HOOK, stale);
      } else if (!notes.isEmpty()) {
        output.addPlanNotes(notes, Verdict.LIVE, List.of());
      }
    }

    /**
     * Whether the update clears the map at apply: a static one by a {@code CLEAR} state action (of
     * the derived caches, or of the caches of objects built by changed code), one objects hold by a
     * {@code CLEAR_CACHE} instance action.
     */
    private boolean clears(KeptObjects.Place place) {
      String owner = dotted(place.owner());
      return place.isStatic()
          ? output.actions.stream()
              .anyMatch(
                  a ->
                      a.kind() == StateAction.Kind.CLEAR
                          && a.owner().equals(owner)
                          && a.field().equals(place.field()))
          : output.instanceActions.stream()
              .anyMatch(
                  a ->
                      a.kind() == InstanceAction.Kind.CLEAR_CACHE
                          && a.owner().equals(owner)
                          && a.member().equals(place.field()));
    }

    /** Removed classes stay loaded: the entry says so. */
    private void addRemovedClasses() {
      for (ClassDiff c : diff.classes()) {
        if (c.status() == ClassStatus.REMOVED) {
          output.classes.add(
              new ClassUpdate(
                  dotted(c.preName()),
                  ClassStatus.REMOVED,
                  ClassFingerprint.of(c.pre()),
                  null,
                  c.changes(),
                  new Applicability(
                      Verdict.LIVE,
                      EnumSet.of(Mechanism.KEPT_MEMBERS),
                      List.of(
                          "the class stays loaded for code that still uses it; the fixed code does"
                              + " not"))));
        }
      }
    }
  }

  static ClassNode read(byte[] bytes) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node;
  }

  static String dotted(String internal) {
    return internal.replace('/', '.');
  }
}
