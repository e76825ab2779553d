package io.jsplice.agent.engine;

import io.jsplice.model.InForce;
import io.jsplice.model.UpdatePackage;
import java.time.Instant;
import java.util.List;

/**
 * An update the engine applied, as {@code jsplice show} reports it.
 *
 * @param update the verified update
 * @param appliedAt when the switch happened
 * @param appliedBy who asked (the peer's user as the control channel saw it)
 * @param switched the loaded classes switched, each with its loader and origin
 * @param pending classes of the update not loaded at the time; patched as they load
 * @param dependsOn ids of applied updates this one builds on
 * @param forcedFrames frames that kept running old code because the apply was forced
 * @param loaders the class loaders the update was switched in
 * @param restores how to undo its state actions, in the order they were done
 * @param warnings what the apply could not do fully (state not merged), for the report
 * @param hooks the update's hooks, for undo
 * @param reapplied whether it came from the service's record when this JVM started ({@link
 *     Engine#reapply}) rather than from an apply while it ran
 * @param inForce whether the fix is in force for all state, or only partly (accepted by the
 *     operator)
 * @param notInForce what may keep the old behaviour, one line each; empty when fully in force
 */
record AppliedUpdate(
    UpdatePackage update,
    Instant appliedAt,
    String appliedBy,
    List<String> switched,
    List<String> pending,
    List<String> dependsOn,
    List<String> forcedFrames,
    List<ClassLoader> loaders,
    List<StateTransfer.Restore> restores,
    List<String> warnings,
    UpdateHooks hooks,
    boolean reapplied,
    InForce inForce,
    List<String> notInForce) {

  /**
   * An update registered from the record at start-up, none of whose classes had loaded: no state to
   * restore on undo and no objects built before it for a hook to fix.
   */
  static AppliedUpdate fromRecord(
      UpdatePackage update,
      Instant appliedAt,
      String appliedBy,
      List<String> pending,
      List<String> dependsOn) {
    return new AppliedUpdate(
        update,
        appliedAt,
        appliedBy,
        List.of(),
        pending,
        dependsOn,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        UpdateHooks.NONE,
        true,
        InForce.FULL,
        List.of());
  }

  AppliedUpdate markedReapplied() {
    return new AppliedUpdate(
        update,
        appliedAt,
        appliedBy,
        switched,
        pending,
        dependsOn,
        forcedFrames,
        loaders,
        restores,
        warnings,
        hooks,
        true,
        inForce,
        notInForce);
  }

  String id() {
    return update.update().id();
  }
}
