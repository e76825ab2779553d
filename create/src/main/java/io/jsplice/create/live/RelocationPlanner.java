package io.jsplice.create.live;

import io.jsplice.create.live.StaticStatePlanner.ClassState;
import io.jsplice.create.live.StaticStatePlanner.Decision;
import io.jsplice.create.live.StaticStatePlanner.Strategy;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides where added and recomputed members of the modified classes live. A host gets a companion
 * when it adds methods or fields, has added constructors lowered, or has static state recomputed
 * outside a hook, or has instance fields recomputed in existing objects; its added methods and
 * static fields, the shadows of its added instance fields and its redirected final statics are then
 * recorded in {@link InstalledWorld#relocations}, so that every rewritten class reaches them there.
 */
final class RelocationPlanner {
  private final InstalledWorld world;
  private final String updateId;

  private RelocationPlanner(InstalledWorld world, String updateId) {
    this.world = world;
    this.updateId = updateId;
  }

  /**
   * Records the companion of every modified class that needs one in {@code companions} (host to
   * companion) and in the world. Unchanged classes get no relocation: their state is merged in
   * place.
   *
   * @param computeInitialValues hosts whose companion computes initial values of instance fields
   */
  static void relocate(
      UpdateClasses update,
      Map<String, ClassState> states,
      AddedConstructors constructors,
      InstalledWorld world,
      String updateId,
      Map<String, String> companions,
      java.util.Set<String> computeInitialValues) {
    RelocationPlanner planner = new RelocationPlanner(world, updateId);
    for (String host : update.pairs.keySet()) {
      SchemaComparison schema = update.schemas.get(host);
      ClassState state = states.get(host);
      if (needsCompanion(host, schema, state, constructors)
          || computeInitialValues.contains(host)) {
        companions.put(host, planner.relocate(host, schema, state));
      }
    }
  }

  private static boolean needsCompanion(
      String host, SchemaComparison schema, ClassState state, AddedConstructors constructors) {
    return !schema.addedMethods.isEmpty()
        || !schema.addedFields.isEmpty()
        || constructors.lowersAny(host)
        || state.decisions().stream().anyMatch(d -> d.strategy() != Strategy.HOOK);
  }

  private String relocate(String host, SchemaComparison schema, ClassState state) {
    String companion = Companions.companionName(host, updateId);
    world.companion(companion, host);
    moveAddedMethods(host, companion, schema);
    moveAddedFields(host, companion, schema);
    moveRedirectedStatics(host, companion, state);
    return companion;
  }

  private void moveAddedMethods(String host, String companion, SchemaComparison schema) {
    for (MethodNode m : schema.addedMethods.values()) {
      boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
      world.relocations.moveMethod(
          host,
          m.name + m.desc,
          new Relocations.MovedMethod(
              companion,
              instance
                  ? m.name
                  : Companions.staticMethodName(host, m, schema.addedMethods.values()),
              instance ? CompanionBuilder.withReceiver(host, m.desc) : m.desc));
    }
  }

  private void moveAddedFields(String host, String companion, SchemaComparison schema) {
    for (FieldNode f : schema.addedFields.values()) {
      String key = f.name + ":" + f.desc;
      if ((f.access & Opcodes.ACC_STATIC) != 0) {
        world.relocations.moveStatic(
            host, key, new Relocations.MovedStatic(companion, f.name, f.desc));
      } else {
        world.relocations.shadow(
            host,
            key,
            new Relocations.Shadow(
                companion, Companions.getterName(f.name), Companions.setterName(f.name), f.desc));
      }
    }
  }

  private void moveRedirectedStatics(String host, String companion, ClassState state) {
    for (Decision d : state.decisions()) {
      if (d.strategy() == Strategy.REDIRECT_AND_MERGE || d.strategy() == Strategy.ENUM_VALUES) {
        String name = d.field().substring(0, d.field().indexOf(':'));
        String desc = d.field().substring(d.field().indexOf(':') + 1);
        world.relocations.moveStatic(
            host, d.field(), new Relocations.MovedStatic(companion, name, desc));
      }
    }
  }
}
