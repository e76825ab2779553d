package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.model.Applicability;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.JvmCondition;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StaleState;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.tree.ClassNode;

/**
 * Installs a loaded class the update modifies: it is redefined in its old shape with the fixed
 * code, and what it cannot gain goes to its companion. Decides its verdict: refused when any part
 * cannot be installed (a changed hierarchy, an override added live, an added constructor other code
 * calls, code that would not link), needing a hook when state it cannot recompute was built by
 * changed code, live otherwise; and says what stays as the loaded class has it.
 */
final class ModifiedClassInstaller {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final String updateId;
  private final AddedConstructors constructors;
  private final Map<String, String> companions; // host -> companion
  private final CompanionInstaller companionInstaller;
  private final BuiltStateCoverage coverage;
  private final OverridePlanner overrides;
  private final RetiredObjects retiredObjects;
  private final Map<String, InstanceStatePlanner.ClassPlan> objects;
  private final StaticStateCopies copies;
  private final PlanOutput output;

  ModifiedClassInstaller(
      UpdateClasses update,
      InstalledWorld world,
      String updateId,
      AddedConstructors constructors,
      Map<String, String> companions,
      CompanionInstaller companionInstaller,
      BuiltStateCoverage coverage,
      OverridePlanner overrides,
      RetiredObjects retiredObjects,
      Map<String, InstanceStatePlanner.ClassPlan> objects,
      StaticStateCopies copies,
      PlanOutput output) {
    this.update = update;
    this.world = world;
    this.updateId = updateId;
    this.constructors = constructors;
    this.companions = companions;
    this.companionInstaller = companionInstaller;
    this.coverage = coverage;
    this.overrides = overrides;
    this.retiredObjects = retiredObjects;
    this.objects = objects;
    this.copies = copies;
    this.output = output;
  }

  void install(String name, ClassState state) {
    ClassDiff c = update.modified.get(name);
    output.sources.put(dotted(name), c.name());
    if (companions.get(name) != null) {
      output.sources.put(dotted(companions.get(name)), c.name());
    }
    ClassNode[] pair = update.pairs.get(name);
    SchemaComparison schema = update.schemas.get(name);
    Assessment assessment = new Assessment(Mechanism.REDEFINE);
    assessment.refusals.addAll(schema.refusals);
    assessment.refusals.addAll(overrides.refusals(name));
    if (!world.dispatch.of(name).isEmpty()) {
      assessment.mechanisms.add(Mechanism.OVERRIDE_DISPATCH);
      assessment.notes.add(
          "dispatches "
              + String.join(", ", world.dispatch.of(name).keySet())
              + " to the overrides the update adds to its subclasses");
    }
    assessment.refusals.addAll(constructors.refusals(name));
    assessment.notes.addAll(constructors.notes(name, schema));
    if (constructors.lowersAny(name)) {
      assessment.mechanisms.add(Mechanism.ADDED_CONSTRUCTORS);
    }
    redefine(name, c, pair, schema, assessment);
    InstanceStatePlanner.ClassPlan plan = objects.get(name);
    String companion = companions.get(name);
    if (companion != null) {
      companionInstaller.install(
          name, companion, pair[1], schema, state, plan.recomputed(), plan.dropped(), assessment);
    }
    describeKept(schema, assessment);
    List<String> unset = unsetAddedFields(pair[0], pair[1], schema, plan);
    if (!unset.isEmpty()) {
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              "they read the added field(s) "
                  + String.join(", ", unset)
                  + " as null, 0 or false, where the fixed release's constructors give them a"
                  + " value (no constructor-independent initializer)"
                  + fromCreationSites(schema, unset)));
    }
    assessment.notes.addAll(schema.retypedNotes);
    assessment.notes.addAll(schema.abstractNotes);
    assessment.notes.addAll(schema.enumNotes);
    assessment.notes.addAll(schema.serializationNotes);
    if (schema.serializationNotes.stream().anyMatch(n -> n.contains("deserialization filter"))) {
      assessment.mechanisms.add(Mechanism.DESERIALIZATION_FILTER);
    }
    assessment.notes.addAll(state.notes());
    boolean stateCovered = coverage.covers(name, c, pair, schema, state, assessment);
    boolean retired = retiredObjects.isRetired(name, pair[1]);
    if (retired) {
      assessment.notes.add(
          "objects of "
              + dotted(name)
              + " that the program built before the update are of a kind the fixed release no"
              + " longer builds (it builds only subclasses of it); their methods now run the fixed"
              + " code written for those subclasses, so the program must rebuild them: a hook");
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              "the fixed release builds only subclasses of it; the program must rebuild them"));
    }
    StaleState copied = copies.staleObjects(pair[0]);
    if (copied != null) {
      assessment.notes.add(
          "objects built before the update: "
              + copied.reason()
              + "; a hook must update objects the program already holds");
      assessment.stale.add(copied);
    }
    StaleState stored = StoredValueChanges.staleObjects(pair[0], pair[1]);
    if (stored != null) {
      assessment.notes.add(
          "objects built before the update: "
              + stored.reason()
              + "; a hook must update objects the program already holds");
      assessment.stale.add(stored);
    }
    if (schema.retypedNeedHook) {
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              "a field whose type the fixed release changes may hold values of the old type"));
    }
    if (schema.serializationNotInForce) {
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              "Java serialization does not find the serialization methods the fixed release adds"));
    }
    Verdict verdict = verdict(name, c, state, plan, assessment, stateCovered);
    if (verdict != Verdict.NOT_LIVE) {
      addInstanceActions(name, companion, plan, pair[0], assessment);
    }
    if (verdict == Verdict.NOT_LIVE) {
      assessment.mechanisms.clear();
    }
    output.classes.add(
        new ClassUpdate(
            dotted(name),
            ClassStatus.MODIFIED,
            ClassFingerprint.of(c.pre()),
            ClassFingerprint.of(c.post()),
            c.changes(),
            new Applicability(
                verdict,
                assessment.mechanisms,
                assessment.refusalsThenNotes(),
                verdict == Verdict.LIVE_NEEDS_HOOK ? assessment.stale : List.of())));
  }

  /** Writes the class in its installed shape, and the fixed release's form of it. */
  private void redefine(
      String name, ClassDiff c, ClassNode[] pair, SchemaComparison schema, Assessment assessment) {
    ClassNode shaped =
        InstalledClassBuilder.shape(pair[0], pair[1], schema.addedMethods.keySet(), schema);
    OverrideCheck.delegateRemovedOverrides(shaped, schema, world);
    for (var method : shaped.methods) {
      if (method.name.equals("<init>")) {
        ConstructorLowering.deferShadowStores(name, method, world);
      }
    }
    List<String> keptStatics = RemovedStatics.keepInitializers(shaped, pair[0], schema);
    if (!keptStatics.isEmpty()) {
      assessment.notes.addAll(keptStatics);
      world.recomputeFrames.add(name);
    }
    world.dispatch.originals(name, HostPrologue.prepend(shaped, world));
    LoweredConstructors.Carrier carrier = world.constructors.carrier(name);
    if (carrier != null) {
      ConstructorLowering.merge(
          shaped, pair[1], carrier, world.constructors.loweredOf(name), world);
    }
    int before = world.refusals.size();
    byte[] installed = ClassWrites.install(shaped, world, updateId, true);
    assessment.refusals.addAll(world.refusals.subList(before, world.refusals.size()));
    output.files.put(UpdatePackage.POST + UpdatePackage.classPath(c.postName()), c.post());
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(name), installed);
  }

  private static Verdict verdict(
      String name,
      ClassDiff c,
      ClassState state,
      InstanceStatePlanner.ClassPlan plan,
      Assessment assessment,
      boolean builtStateCovered) {
    if (!assessment.refusals.isEmpty()) {
      return Verdict.NOT_LIVE;
    }
    StaleStates.ofStaticState(state, assessment.stale);
    assessment.notes.addAll(plan.notes());
    Set<String> setup = plan.setupLeft().keySet();
    if (!setup.isEmpty()) {
      assessment.notes.add(
          "constructors call "
              + setup
              + ", which the update changes and which set up the object: objects built before"
              + " the update keep the old setup");
    }
    if (c.has(ChangeKind.INIT_ONLY_CODE_CHANGED)
        && !builtStateCovered
        && !plan.constructorsCovered()) {
      assessment.notes.add(
          "objects built before the update keep what their old constructor or initializer"
              + " gave them; the fixed code runs for objects built from now on; a hook must update"
              + " objects the program already holds");
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              constructionReason(name, plan),
              constructionCondition(plan)));
    } else if (!setup.isEmpty()) {
      assessment.stale.add(
          new StaleState(
              StaleState.Kind.OBJECTS,
              dotted(name),
              null,
              "their constructors ran the old code of the setup method(s) "
                  + setup
                  + ": "
                  + String.join("; ", plan.setupLeft().values())));
    }
    return assessment.stale.isEmpty() ? Verdict.LIVE : Verdict.LIVE_NEEDS_HOOK;
  }

  /**
   * The property of the running JVM under which every changed construction method builds what its
   * old version built, when they all have the same one; null otherwise (then objects built before
   * the update may keep old state in every JVM).
   */
  private static JvmCondition constructionCondition(InstanceStatePlanner.ClassPlan plan) {
    if (plan.construction().isEmpty() || !plan.setupLeft().isEmpty()) {
      return null;
    }
    JvmCondition first = plan.construction().get(0).unless();
    for (ConstructionChanges.MethodChange m : plan.construction()) {
      if (m.unless() == null || !m.unless().equals(first)) {
        return null;
      }
    }
    return first;
  }

  /**
   * Why objects built before the update keep old state: per changed construction method, the fields
   * it may set differently, from what those objects were built with (which they no longer have).
   */
  private static String constructionReason(String name, InstanceStatePlanner.ClassPlan plan) {
    if (plan.construction().isEmpty()) {
      return "their old constructor or setup code gave them what the fix changes";
    }
    List<String> parts = new java.util.ArrayList<>();
    for (ConstructionChanges.MethodChange m : plan.construction()) {
      parts.add(
          ConstructionChanges.describe(name, m.method())
              + (m.unless() == null
                  ? " changed (" + m.cause() + ")"
                  : " names a charset where its old version used the default one")
              + ": it may give "
              + String.join(", ", m.fields())
              + " other values");
    }
    return String.join("; ", parts)
        + "; what they were built with is gone, so jsplice cannot compute the new values";
  }

  /**
   * The instance fields the update adds that objects built before it never get a value for: the
   * fixed release sets them only in its constructors (no initializer that runs apart from them),
   * and no setup method is run again on existing objects to set them. The fixed code reads them as
   * null, 0 or false in those objects: a timeout read as null, a validity flag read as false.
   */
  private static List<String> unsetAddedFields(
      ClassNode pre, ClassNode post, SchemaComparison schema, InstanceStatePlanner.ClassPlan plan) {
    java.util.Set<String> rerun = new java.util.HashSet<>();
    plan.rerun().forEach(r -> rerun.addAll(r.fields()));
    List<String> out = new java.util.ArrayList<>();
    for (org.objectweb.asm.tree.FieldNode f : schema.addedFields.values()) {
      if ((f.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0
          && FieldInitializers.forOldObjects(schema, post, f.name, f.desc) == null
          && !rerun.contains(f.name)
          && !rerun.contains(f.name + ":" + f.desc)) {
        out.add(f.name);
      }
    }
    return out;
  }

  /** Why the creation sites of the objects give no value for those fields; empty if not tried. */
  private static String fromCreationSites(SchemaComparison schema, List<String> fields) {
    StringBuilder out = new StringBuilder();
    for (String field : fields) {
      CreationSites.Derivation d = schema.fromCreationSites.get(field);
      if (d != null && d.value() == null) {
        out.append("; not from the creation sites: ").append(d.why());
      }
    }
    return out.toString();
  }

  /**
   * Of the fields a re-run setup method assigns ({@code name} or {@code name:desc}), those the
   * loaded class declares: the agent saves them to put them back on undo. Fields the update adds
   * live in shadow storage, which undo drops, and reflection on the loaded class cannot find them.
   */
  private static List<String> loadedFields(ClassNode pre, List<String> fields) {
    return fields.stream()
        .filter(
            f -> {
              String name = f.contains(":") ? f.substring(0, f.indexOf(':')) : f;
              return pre.fields.stream()
                  .anyMatch(
                      d ->
                          d.name.equals(name)
                              && (d.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0);
            })
        .toList();
  }

  /** The agent's work on objects built before the update: recomputed fields, re-run setup. */
  private void addInstanceActions(
      String name,
      String companion,
      InstanceStatePlanner.ClassPlan plan,
      ClassNode pre,
      Assessment assessment) {
    for (InstanceStatePlanner.Recompute r : plan.recomputed()) {
      output.instanceActions.add(
          new InstanceAction(
              InstanceAction.Kind.RECOMPUTE_FIELD,
              dotted(name),
              r.field(),
              dotted(companion),
              List.of(),
              "its initializer changed"));
    }
    for (InstanceStatePlanner.Rerun r : plan.rerun()) {
      output.instanceActions.add(
          new InstanceAction(
              InstanceAction.Kind.RERUN_SETUP,
              dotted(name),
              r.method(),
              null,
              loadedFields(pre, r.fields()),
              "the constructors' setup changed"));
    }
    new java.util.TreeSet<>(plan.dropped().stream().map(GuardedEntries.Entry::field).toList())
        .forEach(
            field ->
                output.instanceActions.add(
                    new InstanceAction(
                        InstanceAction.Kind.DROP_MAP_ENTRIES,
                        dotted(name),
                        field,
                        dotted(companion),
                        List.of(),
                        "the fixed constructors put some of its entries only under a condition")));
    if (!plan.recomputed().isEmpty() || !plan.rerun().isEmpty() || !plan.dropped().isEmpty()) {
      assessment.mechanisms.add(Mechanism.EXISTING_OBJECTS);
    }
  }

  /** Says which removed members and changed flags stay as the loaded class has them. */
  private static void describeKept(SchemaComparison schema, Assessment assessment) {
    if (schema.removedMethods.isEmpty()
        && schema.removedFields.isEmpty()
        && schema.flagChanges.isEmpty()) {
      return;
    }
    assessment.mechanisms.add(Mechanism.KEPT_MEMBERS);
    List<String> notes = assessment.notes;
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
