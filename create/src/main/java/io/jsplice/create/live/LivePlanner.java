package io.jsplice.create.live;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import io.jsplice.model.Applicability;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StateAction;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

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
  public record Plan(
      List<ClassUpdate> classes,
      List<StateAction> stateActions,
      Map<String, byte[]> files,
      Verdict verdict,
      List<String> notes) {}

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
      ClassSetDiff diff,
      String updateId,
      java.util.function.Function<String, byte[]> dependencies) {
    return new Run(diff, updateId, dependencies).plan();
  }

  /** The state of one planning run. */
  private static final class Run {
    private final ClassSetDiff diff;
    private final String updateId;
    private final SyntheticRenames renames;
    private final PostView post;
    private final UpdateClasses update;
    private final OverrideDispatch dispatch;
    private final Map<String, String> companions = new LinkedHashMap<>(); // host -> companion

    private AddedConstructors constructors;
    private CompanionInstaller companionInstaller;

    private final InstalledWorld world;
    private final PlanOutput output = new PlanOutput();
    private final java.util.function.Function<String, byte[]> dependencies;

    Run(
        ClassSetDiff diff,
        String updateId,
        java.util.function.Function<String, byte[]> dependencies) {
      this.diff = diff;
      this.dependencies = dependencies;
      this.updateId = updateId;
      this.renames = SyntheticRenames.of(diff);
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
      this.update = new UpdateClasses(diff, renames, post);
      this.dispatch = new OverrideDispatch(update, world, companions);
    }

    Plan plan() {
      Set<String> newClasses = update.added.keySet();
      for (Map.Entry<String, ClassNode[]> pair : update.pairs.entrySet()) {
        world.role(pair.getKey(), InstalledWorld.Role.EXISTING);
        world.installed.put(diff.pre().bytes(pair.getKey()));
        recordNest(pair.getValue()[0]);
      }
      Map<String, ClassNode> relaxed = new LinkedHashMap<>();
      for (String name : update.added.keySet()) {
        ClassNode node = InstalledClassBuilder.relaxNewClass(read(post.bytes(name)), newClasses);
        relaxed.put(name, node);
        world.role(name, InstalledWorld.Role.NEW);
        world.installed.put(ClassWrites.plain(node));
        world.nest(
            node.nestHostClass != null ? node.nestHostClass : name,
            node.nestMembers == null ? List.of() : node.nestMembers);
      }
      constructors = AddedConstructors.decide(update);
      companionInstaller = new CompanionInstaller(world, constructors, dispatch, output);
      CallGraph calls = new CallGraph(post::bytes, update.changedMethods(), newClasses);
      Map<String, ClassNode[]> withUnchanged = new LinkedHashMap<>(update.pairs);
      Set<String> unchanged = update.builtThroughUpdate(calls);

      unchanged.forEach(
          name -> {
            ClassNode node = read(post.bytes(name));
            withUnchanged.put(name, new ClassNode[] {node, node});
          });
      Map<String, ClassState> states =
          StaticStatePlanner.plan(
              withUnchanged,
              calls,
              new SideEffectCheck(
                  name -> {
                    byte[] b = post.bytes(name);
                    return b != null ? b : dependencies.apply(name);
                  }));
      RelocationPlanner.relocate(update, states, constructors, world, updateId, companions);
      for (String name : update.pairs.keySet()) {
        installModified(name, states.get(name));
      }
      StateOnlyInstaller stateOnly =
          new StateOnlyInstaller(world, updateId, post, companions, companionInstaller, output);
      for (String name : unchanged) {
        stateOnly.install(name, states.get(name));
      }
      for (String name : relaxed.keySet()) {
        installAdded(name, relaxed.get(name));
      }
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
                          "the class stays loaded for code that still uses it; the fixed code does not"))));
        }
      }
      LinkCheck.refuseUnlinked(output.files, output.classes, world.installed);
      return output.plan();
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

    private void installModified(String name, ClassState state) {
      ClassDiff c = update.modified.get(name);
      ClassNode[] pair = update.pairs.get(name);
      SchemaComparison schema = update.schemas.get(name);
      Assessment assessment = new Assessment(Mechanism.REDEFINE);
      List<String> refusals = assessment.refusals;
      List<String> notes = assessment.notes;
      Set<Mechanism> mechanisms = assessment.mechanisms;
      refusals.addAll(schema.refusals);
      refusals.addAll(OverrideCheck.refusals(pair[1], schema, world.post, world.installed));
      refusals.addAll(constructors.refusals(name));
      notes.addAll(constructors.notes(name, schema));
      if (constructors.lowersAny(name)) {
        mechanisms.add(Mechanism.COMPANION_METHODS);
      }
      ClassNode shaped =
          InstalledClassBuilder.shape(pair[0], pair[1], schema.addedMethods.keySet(), schema);
      OverrideCheck.delegateRemovedOverrides(shaped, schema, world.post);
      int before = world.refusals.size();
      byte[] installed = ClassWrites.install(shaped, world, updateId, true);
      refusals.addAll(world.refusals.subList(before, world.refusals.size()));
      output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
      output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
      String companion = companions.get(name);
      if (companion != null) {
        companionInstaller.install(name, companion, pair[1], schema, state, assessment);
      }
      if (!schema.removedMethods.isEmpty()
          || !schema.removedFields.isEmpty()
          || !schema.flagChanges.isEmpty()) {
        mechanisms.add(Mechanism.KEPT_MEMBERS);
        describeKept(schema, notes);
      }
      notes.addAll(state.notes());
      boolean stateCovered =
          onlyAddsFieldInitializers(c, pair, schema)
              || coverBuiltState(name, c, state, mechanisms, notes);
      Verdict verdict = verdict(c, state, refusals, notes, stateCovered);
      if (verdict == Verdict.NOT_LIVE) {
        mechanisms.clear();
      }
      List<String> allNotes = new ArrayList<>(refusals);
      allNotes.addAll(notes);
      output.classes.add(
          new ClassUpdate(
              dotted(name),
              ClassStatus.MODIFIED,
              ClassFingerprint.of(c.pre()),
              ClassFingerprint.of(c.post()),
              c.changes(),
              new Applicability(verdict, mechanisms, allNotes)));
    }

    private void installAdded(String name, ClassNode relaxed) {
      ClassDiff c = update.added.get(name);
      constructors.rewriteSuperCalls(relaxed, companions);
      int before = world.refusals.size();
      byte[] installed = ClassWrites.install(relaxed, world, updateId, false);
      List<String> refusals =
          new ArrayList<>(world.refusals.subList(before, world.refusals.size()));
      output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
      output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
      Verdict verdict = refusals.isEmpty() ? Verdict.LIVE : Verdict.NOT_LIVE;
      output.classes.add(
          new ClassUpdate(
              dotted(name),
              ClassStatus.ADDED,
              null,
              ClassFingerprint.of(c.post()),
              c.changes(),
              new Applicability(
                  verdict,
                  verdict == Verdict.LIVE ? EnumSet.of(Mechanism.NEW_CLASSES) : Set.of(),
                  refusals)));
    }

    private static Verdict verdict(
        ClassDiff c,
        ClassState state,
        List<String> refusals,
        List<String> notes,
        boolean builtStateCovered) {
      if (!refusals.isEmpty()) {
        return Verdict.NOT_LIVE;
      }
      boolean hook = state.decisions().stream().anyMatch(d -> d.strategy() == Strategy.HOOK);
      if (c.has(ChangeKind.INIT_ONLY_CODE_CHANGED) && !builtStateCovered) {
        notes.add(
            "objects built before the update keep what their old constructor or initializer"
                + " gave them; the fixed code runs for objects built from now on; a hook must update"
                + " objects the program already holds");
        hook = true;
      }
      return hook ? Verdict.LIVE_NEEDS_HOOK : Verdict.LIVE;
    }

    /**
     * Whether construction changed only by initializers of added fields that old objects get from
     * their shadow fields on first use: then nothing built before the update is stale.
     */
    private static boolean onlyAddsFieldInitializers(
        ClassDiff c, ClassNode[] pair, SchemaComparison schema) {
      boolean otherInitCode =
          c.changes().stream()
              .anyMatch(
                  ch ->
                      ch.kind() == ChangeKind.INIT_ONLY_CODE_CHANGED
                          && !ch.member().startsWith("<init>"));
      if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED) || otherInitCode) {
        return false;
      }
      Set<String> initialized = new java.util.HashSet<>();
      for (FieldNode f : schema.addedFields.values()) {
        if ((f.access & Opcodes.ACC_STATIC) == 0
            && FieldInitializers.initializer(pair[1], f.name, f.desc) != null) {
          initialized.add(f.name);
        }
      }
      return FieldInitializers.onlyAddsInitializers(pair[0], pair[1], initialized);
    }

    /**
     * When a class's construction changed, finds where its old objects are kept: static caches
     * (cleared, so the fixed code rebuilds them) and static singletons (recomputed by the static
     * state planner). Returns whether any was found.
     */
    private boolean coverBuiltState(
        String name, ClassDiff c, ClassState state, Set<Mechanism> mechanisms, List<String> notes) {
      if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED)) {
        return false;
      }
      List<CachePlanner.Cache> caches = CachePlanner.cachesOf(name, post.names(), post, world.post);
      for (CachePlanner.Cache cache : caches) {
        output.actions.add(
            new StateAction(
                StateAction.Kind.CLEAR,
                dotted(cache.owner()),
                cache.field(),
                null,
                "cached " + dotted(name) + " objects were built by the old code"));
      }
      if (!caches.isEmpty()) {
        mechanisms.add(Mechanism.CACHE_RESET);
        notes.add(
            "cached "
                + dotted(name)
                + " objects built by the old code are dropped from "
                + caches.stream().map(k -> dotted(k.owner()) + "." + k.field()).toList()
                + " and rebuilt on demand; objects the program holds elsewhere keep the old state");
      }
      boolean singleton =
          state.decisions().stream()
              .anyMatch(
                  d ->
                      d.strategy() != Strategy.HOOK
                          && d.strategy() != Strategy.ADDED
                          && d.reason().contains("which runs code the update changes"));
      return !caches.isEmpty() || singleton;
    }

    private static void describeKept(SchemaComparison schema, List<String> notes) {
      if (!schema.removedMethods.isEmpty()) {
        notes.add(
            "removed methods stay for code that still calls them: "
                + String.join(", ", schema.removedMethods.keySet()));
      }
      if (!schema.removedFields.isEmpty()) {
        notes.add("removed fields stay: " + String.join(", ", schema.removedFields.keySet()));
      }
      if (!schema.flagChanges.isEmpty()) {
        notes.add(
            "access flags keep their old values on "
                + String.join(", ", schema.flagChanges)
                + " (a loaded class's flags cannot change)");
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
