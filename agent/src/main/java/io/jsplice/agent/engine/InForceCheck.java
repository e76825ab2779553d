package io.jsplice.agent.engine;

import io.jsplice.model.InForce;
import io.jsplice.model.Update;
import io.jsplice.model.control.FailureCause;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, before anything is switched, whether an apply would put the fix in force for all the
 * state the program holds, and refuses one that would not unless the operator accepted it: a
 * security update must never be reported applied while existing state keeps the old behaviour.
 *
 * <p>What may keep the old behaviour is what the update's analysis names ({@link
 * Update#notInForce()}) plus what this JVM cannot do of the update's work on existing state (named
 * by the caller).
 */
final class InForceCheck {
  private InForceCheck() {}

  /** The verdict of a check that passed: how much is in force, and what is not. */
  record Outcome(InForce inForce, List<String> notInForce) {
    static final Outcome FULL = new Outcome(InForce.FULL, List.of());
  }

  /**
   * @param cannotHere what this JVM cannot do of the update's work on existing state, one line each
   * @throws EngineException {@link FailureCause#PARTLY_IN_FORCE} when something would not be in
   *     force and the options do not accept that; nothing has been changed then
   */
  static Outcome check(Update update, List<String> cannotHere, ApplyOptions options)
      throws EngineException {
    List<String> notInForce = new ArrayList<>(update.notInForce());
    notInForce.addAll(cannotHere);
    if (notInForce.isEmpty()) {
      return Outcome.FULL;
    }
    if (!options.acceptPartial()) {
      throw new EngineException(
          FailureCause.PARTLY_IN_FORCE,
          "update "
              + update.id()
              + " would be only partly in force, so nothing was changed: "
              + notInForce.size()
              + " part(s) of the state built before it may keep the old behaviour: "
              + String.join("; ", notInForce)
              + " (build the update with a hook for that state, or pass --accept-partial to"
              + " apply it anyway)");
    }
    return new Outcome(InForce.PARTLY, List.copyOf(notInForce));
  }
}
