package io.jsplice.model;

/** Whether an update (or one class of it) can be applied to a running JVM. */
public enum Verdict {
  /** Applies live, and the fixed behaviour is in force once applied. */
  LIVE("can be applied live"),
  /**
   * Applies live, but part of the fix lives in state the program built before the update; that part
   * is in force only with a hook (the notes name the state).
   */
  LIVE_NEEDS_HOOK("can be applied live; part of the fix needs a hook for existing state"),
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
