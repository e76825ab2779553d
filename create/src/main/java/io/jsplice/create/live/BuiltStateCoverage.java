package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.Mechanism;
import io.jsplice.model.StateAction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * Decides whether objects built before an update are taken care of when their class's construction
 * changes. Redefinition changes code, not objects: what an old constructor or initializer gave an
 * object stays. That is no problem when the change only adds initializers of added fields, which
 * old objects get from their shadow fields on first use; otherwise it is covered where old objects
 * are kept in known places: static caches, which the agent clears so that the fixed code rebuilds
 * them, and static singletons, which the static state planner recomputes. Anything else needs a
 * hook.
 */
final class BuiltStateCoverage {
  private final PostView post;
  private final InstalledWorld world;
  private final PlanOutput output;

  BuiltStateCoverage(PostView post, InstalledWorld world, PlanOutput output) {
    this.post = post;
    this.world = world;
    this.output = output;
  }

  /**
   * Whether nothing built before the update is left stale by the class's changed construction;
   * records the cache resets that make it so.
   */
  boolean covers(
      String name,
      ClassDiff c,
      ClassNode[] pair,
      SchemaComparison schema,
      ClassState state,
      Assessment assessment) {
    return onlyAddsFieldInitializers(c, pair, schema, world)
        || coverBuiltState(name, c, state, assessment);
  }

  /**
   * Whether construction changed only by initializers of added fields that old objects get from
   * their shadow fields on first use: then nothing built before the update is stale.
   */
  private static boolean onlyAddsFieldInitializers(
      ClassDiff c, ClassNode[] pair, SchemaComparison schema, InstalledWorld world) {
    boolean otherInitCode =
        c.changes().stream()
            .anyMatch(
                ch ->
                    ch.kind() == ChangeKind.INIT_ONLY_CODE_CHANGED
                        && !ch.member().startsWith("<init>"));
    if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED) || otherInitCode) {
      return false;
    }
    Set<String> initialized = new HashSet<>();
    for (FieldNode f : schema.addedFields.values()) {
      if ((f.access & Opcodes.ACC_STATIC) == 0
          && FieldInitializers.initializer(pair[1], f.name, f.desc) != null) {
        initialized.add(f.name);
      }
    }
    return FieldInitializers.onlyAddsInitializers(
        pair[0], pair[1], initialized, world::loadedFieldDescriptor);
  }

  /**
   * When a class's construction changed, finds where its old objects are kept: static caches
   * (cleared, so the fixed code rebuilds them) and static singletons (recomputed by the static
   * state planner). Returns whether any was found.
   */
  private boolean coverBuiltState(
      String name, ClassDiff c, ClassState state, Assessment assessment) {
    if (!c.has(ChangeKind.INIT_ONLY_CODE_CHANGED)) {
      return false;
    }
    List<CachePlanner.Cache> caches = CachePlanner.cachesOf(name, post.names(), post, world.post);
    if (!caches.isEmpty()) {
      resetCaches(name, caches, assessment);
    }
    return !caches.isEmpty() || recomputesSingleton(state);
  }

  private void resetCaches(String name, List<CachePlanner.Cache> caches, Assessment assessment) {
    for (CachePlanner.Cache cache : caches) {
      output.actions.add(
          new StateAction(
              StateAction.Kind.CLEAR,
              dotted(cache.owner()),
              cache.field(),
              null,
              "cached " + dotted(name) + " objects were built by the old code"));
    }
    assessment.mechanisms.add(Mechanism.CACHE_RESET);
    assessment.notes.add(
        "cached "
            + dotted(name)
            + " objects built by the old code are dropped from "
            + caches.stream().map(k -> dotted(k.owner()) + "." + k.field()).toList()
            + " and rebuilt on demand; objects the program holds elsewhere keep the old state");
  }

  /** Whether the static state planner recomputes a static field built by the changed code. */
  private static boolean recomputesSingleton(ClassState state) {
    return state.decisions().stream()
        .anyMatch(
            d ->
                d.strategy() != Strategy.HOOK
                    && d.strategy() != Strategy.ADDED
                    && d.reason().contains("which runs code the update changes"));
  }
}
