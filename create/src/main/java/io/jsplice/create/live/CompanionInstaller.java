package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Decision;
import io.jsplice.model.Applicability;
import io.jsplice.model.Change;
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
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Writes the companion of a host: the class, defined next to it, that holds what a loaded class
 * cannot gain. It decides what each added or recomputed member becomes there: added methods
 * (instance ones dispatching to their overriders), added static fields, shadows of added instance
 * fields, recomputed static state with the agent's action that brings it into the host, the old and
 * new initial values of instance fields recomputed in existing objects, and the bodies of lowered
 * constructors. What that means for the host goes into its {@link Assessment}.
 */
final class CompanionInstaller {
  private final InstalledWorld world;
  private final AddedConstructors constructors;
  private final OverrideDispatch dispatch;
  private final PlanOutput output;

  /** A written companion: its class file, and what it holds, in words. */
  record Written(byte[] bytes, List<String> held) {}

  CompanionInstaller(
      InstalledWorld world,
      AddedConstructors constructors,
      OverrideDispatch dispatch,
      PlanOutput output) {
    this.world = world;
    this.constructors = constructors;
    this.dispatch = dispatch;
    this.output = output;
  }

  /** Writes the companion of a modified class and adds its class entry. */
  void install(
      String host,
      String companion,
      ClassNode post,
      SchemaComparison schema,
      ClassState state,
      List<InstanceStatePlanner.Recompute> recomputed,
      List<GuardedEntries.Entry> dropped,
      Assessment assessment) {
    Written written = write(host, companion, post, schema, state, recomputed, dropped, assessment);
    List<String> held =
        written.held().isEmpty() ? List.of("recomputed static state") : written.held();
    output.classes.add(
        new ClassUpdate(
            dotted(companion),
            ClassStatus.ADDED,
            null,
            ClassFingerprint.of(written.bytes()),
            List.of(
                Change.ofClass(
                    ChangeKind.CLASS_ADDED,
                    "companion of " + dotted(host) + " holding " + String.join(", ", held))),
            new Applicability(Verdict.LIVE, EnumSet.of(Mechanism.NEW_CLASSES), List.of())));
  }

  /**
   * Writes the companion into the update's files and records the state actions it needs; adds no
   * class entry.
   *
   * @param post the host as the fixed release has it
   */
  Written write(
      String host,
      String companion,
      ClassNode post,
      SchemaComparison schema,
      ClassState state,
      List<InstanceStatePlanner.Recompute> recomputed,
      List<GuardedEntries.Entry> dropped,
      Assessment assessment) {
    CompanionBuilder builder = new CompanionBuilder(companion, host, post.version);
    List<String> held = new ArrayList<>();
    for (InstanceStatePlanner.Recompute r : recomputed) {
      builder.addInitialValues(r.field(), r.desc(), r.newValue(), r.oldValue());
      held.add("initial values of " + r.field());
    }
    java.util.Map<String, List<GuardedEntries.Entry>> byField = new java.util.TreeMap<>();
    dropped.forEach(e -> byField.computeIfAbsent(e.field(), f -> new ArrayList<>()).add(e));
    byField.forEach(
        (field, entries) -> {
          builder.addEntryDrops(field, entries);
          held.add("the guards of the entries of " + field);
        });
    addMethods(builder, host, schema, held, assessment);
    addFields(builder, post, schema, held, assessment);
    addRecomputedState(builder, host, companion, post, state, assessment);
    builder.addInitializerStatements(state.slices(), state.statements(), state.decisions());
    addConstructorRequests(builder, host);
    world.dispatch.originals(host).values().forEach(builder::addSuperBody);
    int before = world.refusals.size();
    byte[] bytes = ClassWrites.companion(builder.build(), world);
    assessment.refusals.addAll(world.refusals.subList(before, world.refusals.size()));
    output.files.put(UpdatePackage.INSTALL + UpdatePackage.classPath(companion), bytes);
    return new Written(bytes, held);
  }

  private void addMethods(
      CompanionBuilder builder,
      String host,
      SchemaComparison schema,
      List<String> held,
      Assessment assessment) {
    for (MethodNode m : schema.addedMethods.values()) {
      boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
      if ((m.access & Opcodes.ACC_NATIVE) != 0) {
        assessment.refusals.add(
            dotted(host)
                + " adds the native method "
                + m.name
                + m.desc
                + "; JNI binds a native method to the class that declares it, and a loaded class"
                + " cannot gain methods: it applies after a restart");
        continue;
      }
      builder.addMethod(
          MonitorLowering.lockExplicitly(m, host),
          Companions.staticMethodName(host, m, schema.addedMethods.values()),
          instance,
          instance ? dispatch.overriders(host, m) : List.of());
      held.add("method " + m.name);
      assessment.mechanisms.add(Mechanism.COMPANION_METHODS);
    }
  }

  private static void addFields(
      CompanionBuilder builder,
      ClassNode post,
      SchemaComparison schema,
      List<String> held,
      Assessment assessment) {
    for (FieldNode f : schema.addedFields.values()) {
      if ((f.access & Opcodes.ACC_STATIC) != 0) {
        builder.addStatic(f, true);
        held.add("static field " + f.name);
        assessment.mechanisms.add(Mechanism.STATIC_CELLS);
      } else {
        var initializer = FieldInitializers.forOldObjects(schema, post, f.name, f.desc);
        builder.addShadow(f, initializer);
        held.add("field " + f.name);
        assessment.mechanisms.add(Mechanism.SHADOW_FIELDS);
        var predecessor = FieldSuccession.predecessor(schema.pre, post, f.name, f.desc);
        CreationSites.Derivation derived = schema.fromCreationSites.get(f.name);
        if (initializer != null && derived != null && derived.value() != null) {
          assessment.notes.add(derived.why() + ", on first use");
          continue;
        }
        assessment.notes.add(
            initializer == null
                ? "objects built before the update read "
                    + f.name
                    + " as "
                    + defaultValue(f.desc)
                    + " (no constructor-independent initializer)"
                : predecessor != null
                    ? "objects built before the update get "
                        + f.name
                        + " on first use from the "
                        + predecessor.name
                        + " it takes over from, converted as the fixed release's setter converts"
                        + " it"
                    : "objects built before the update get "
                        + f.name
                        + " from its initializer on first use");
      }
    }
  }

  /**
   * Static fields whose new value the companion computes: a final one is merged into the object the
   * old field holds, a non-final one is assigned.
   */
  private void addRecomputedState(
      CompanionBuilder builder,
      String host,
      String companion,
      ClassNode post,
      ClassState state,
      Assessment assessment) {
    for (Decision d : state.decisions()) {
      String name = d.field().substring(0, d.field().indexOf(':'));
      FieldNode field = declaredField(post, d.field());
      String newValue = "new value of " + dotted(host) + "." + name + " (" + d.reason() + ")";
      switch (d.strategy()) {
        case REDIRECT_AND_MERGE -> {
          // Not final: after merging, the agent points it at the object the old field holds.
          builder.addStatic(field, false);
          output.actions.add(
              new StateAction(
                  StateAction.Kind.MERGE, dotted(host), name, dotted(companion), newValue));
          assessment.mechanisms.add(Mechanism.STATIC_STATE);
          assessment.notes.add(
              dotted(host) + "." + name + " gets its new value (" + d.reason() + ")");
        }
        case ENUM_VALUES -> {
          // Set once, by the companion's initializer; the installed values() reads it.
          builder.addStatic(field, true);
          assessment.mechanisms.add(Mechanism.STATIC_STATE);
          assessment.notes.add(
              dotted(host)
                  + ".values() lists the added constants: it reads the fixed release's "
                  + name
                  + " in the companion");
        }
        case ASSIGN -> {
          builder.addStatic(field, false);
          output.actions.add(
              new StateAction(
                  StateAction.Kind.ASSIGN, dotted(host), name, dotted(companion), newValue));
          assessment.mechanisms.add(Mechanism.STATIC_STATE);
          assessment.notes.add(
              dotted(host) + "." + name + " is set to its new initial value (" + d.reason() + ")");
        }
        default -> {}
      }
    }
  }

  /** The field {@code name:desc} of the class; it must be declared there. */
  private static FieldNode declaredField(ClassNode node, String key) {
    return node.fields.stream()
        .filter(f -> (f.name + ":" + f.desc).equals(key))
        .findFirst()
        .orElseThrow();
  }

  /** The methods through which callers ask the host's carrier for its added constructors. */
  private void addConstructorRequests(CompanionBuilder builder, String host) {
    for (LoweredConstructors.Lowered l : world.constructors.loweredOf(host)) {
      builder.addConstructorRequest(ConstructorLowering.requestMethod(l));
    }
  }

  /** The value an instance field has before anything assigns it, as Java source. */
  private static String defaultValue(String desc) {
    return switch (desc.charAt(0)) {
      case 'Z' -> "false";
      case 'L', '[' -> "null";
      default -> "0";
    };
  }
}
