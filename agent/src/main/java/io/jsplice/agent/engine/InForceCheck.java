package io.jsplice.agent.engine;

import io.jsplice.model.InForce;
import io.jsplice.model.Update;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether an apply puts the fix in force for all the state the program holds, and refuses
 * one that would not unless the operator accepted it: a security update is never reported applied
 * while existing state keeps the old behaviour.
 *
 * <p>Called twice: {@link #before} the switch with what the update's analysis names (static fields
 * it will not recompute, objects of classes it cannot look for), then {@link #after} it with the
 * objects found on the heap. A refusal before the switch changes nothing; one after it makes the
 * engine roll back.
 */
final class InForceCheck {
  private InForceCheck() {}

  /** How much is in force, and what is not, one line each. */
  record Outcome(InForce inForce, List<String> notInForce) {
    static final Outcome FULL = new Outcome(InForce.FULL, List.of());

    static Outcome of(List<String> notInForce) {
      return notInForce.isEmpty() ? FULL : new Outcome(InForce.PARTLY, List.copyOf(notInForce));
    }
  }

  /**
   * What the update says can stay old and this JVM holds, except objects that are yet to be looked
   * for.
   *
   * @param search what this JVM holds of it
   * @throws FailureException {@link FailureCause#PARTLY_IN_FORCE} unless accepted
   */
  static Outcome before(Update update, ExistingObjects.Search search, ApplyOptions options)
      throws FailureException {
    List<String> notInForce = new ArrayList<>();
    if (update.partlyInForce() && update.applicability().stale().isEmpty()) {
      notInForce.addAll(update.notInForce()); // an update from before the typed list: its notes
    }
    notInForce.addAll(search.staleHere());
    notInForce.addAll(search.cannotLook());
    return decide(update, notInForce, options);
  }

  /**
   * Adds the objects found after the switch that stay old.
   *
   * @param found one line per class with objects built before the update that keep the old state
   * @throws FailureException {@link FailureCause#PARTLY_IN_FORCE} unless accepted
   */
  static Outcome after(Update update, Outcome before, List<String> found, ApplyOptions options)
      throws FailureException {
    List<String> notInForce = new ArrayList<>(before.notInForce());
    notInForce.addAll(found);
    return decide(update, notInForce, options);
  }

  /**
   * Refuses an update that leaves out classes of the fixed release (a live subset) unless the
   * operator accepted it: jsplice cannot tell whether the fix is among them (a subset of
   * jackson-core 2.15.0 left out the class that holds the depth check), so it never reports such an
   * apply as a plain success.
   *
   * @param leftOut the update's notes that name a class left out, with why
   * @throws FailureException {@link FailureCause#PARTLY_IN_FORCE} unless accepted
   */
  static void refuseWhatIsLeftOut(String updateId, List<String> leftOut, ApplyOptions options)
      throws FailureException {
    if (leftOut.isEmpty() || options.acceptPartial()) {
      return;
    }
    throw new FailureException(
        FailureCause.PARTLY_IN_FORCE,
        "update "
            + updateId
            + " leaves out "
            + leftOut.size()
            + " class(es) of the fixed release, and the fix may be among them, so nothing was"
            + " changed: "
            + leftOut.get(0)
            + (leftOut.size() == 1
                ? ""
                : "; and " + (leftOut.size() - 1) + " more, which --verbose and --json list")
            + " (pass --accept-partial to apply the rest, once the update's report shows the fix"
            + " is not among them)",
        leftOut,
        null);
  }

  /** The same, for {@code update}'s notes; called first, before anything is looked for. */
  static void refuseWhatIsLeftOut(Update update, ApplyOptions options) throws FailureException {
    refuseWhatIsLeftOut(
        update.id(),
        update.applicability().notes().stream().filter(n -> n.startsWith(Update.LEFT_OUT)).toList(),
        options);
  }

  private static Outcome decide(Update update, List<String> notInForce, ApplyOptions options)
      throws FailureException {
    if (!notInForce.isEmpty() && !options.acceptPartial()) {
      throw new FailureException(
          FailureCause.PARTLY_IN_FORCE,
          "update "
              + update.id()
              + " would be only partly in force, so nothing was changed: "
              + firstOf(notInForce)
              + " (build the update with a hook for that state, or pass --accept-partial to"
              + " apply it anyway)",
          notInForce,
          null);
    }
    return Outcome.of(notInForce);
  }

  /**
   * The refusal's one line names the first part and counts the others, which the failure's details
   * list: a refusal with hundreds of parts was one line of kilobytes.
   */
  static String firstOf(List<String> notInForce) {
    String first = notInForce.get(0); // whole: its last words often say why (the charset here)
    int more = notInForce.size() - 1;
    return notInForce.size()
        + " part(s) of the state built before it may keep the old behaviour: "
        + first
        + (more == 0 ? "" : "; and " + more + " more, which --verbose and --json list");
  }
}
