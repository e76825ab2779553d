package io.jsplice.model;

/** Whether an update (or one class of it) can be applied to a running JVM. */
public enum Verdict {
  /** Applies live, and the fixed behaviour is in force once applied. */
  LIVE("can be applied live"),
  /**
   * Applies live, but part of the fix lives in state the program built before the update that
   * nothing in the update brings to the fixed state ({@link Applicability#stale()} names it): the
   * fix is only partly in force unless a hook covers that state. The agent refuses such an update
   * unless the operator accepts it ({@link Update#partlyInForce()}).
   */
  LIVE_NEEDS_HOOK(
      "can be applied live, but only partly in force: state built before the update keeps the"
          + " old behaviour unless a hook covers it"),
  /** Cannot be applied to a running JVM; a restart on the fixed release is needed. */
  NOT_LIVE("cannot be applied live");

  private final String description;

  Verdict(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The weaker of two verdicts: an update is only as live as its least live class. */
  public Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
