package io.jsplice.fleet.api;

/** What a daemon did, or saw happen, to one JVM. */
public enum EventKind {
  /** The daemon applied an update. */
  APPLIED,
  /** The daemon tried to apply an update and the JVM (or its agent) refused; see the cause. */
  APPLY_FAILED,
  /** The daemon found an update already in force: the agent reapplied it from its record. */
  REAPPLIED_BY_AGENT,
  /** An update the daemon applied is no longer in force: an operator undid it. Not reapplied. */
  UNDONE_BY_OPERATOR,
  /** The daemon applied nothing because the server deactivated its host. */
  SKIPPED_DEACTIVATED,
  /**
   * Patched code blocked an exploit attempt: a tripwire the update carries fired. The cause is the
   * CVE, the message a short sanitized detail.
   */
  TRIPWIRE,
  /** The JVM stayed healthy for the daemon's watch after an update: alive, its checks as before. */
  HEALTH_GATE_PASSED,
  /**
   * A health check failed after an update (a health URL, a JMX reading worse than before it): the
   * daemon undid the update in that JVM, and the server pauses the update's rollout everywhere.
   */
  HEALTH_GATE_FAILED,
  /**
   * The JVM exited soon after an update: the daemon never applies that update to a JVM with its
   * command line again by itself, and the server pauses the update's rollout everywhere.
   */
  JVM_DIED_AFTER_UPDATE,
  /** The daemon undid an update because its rollout was rolled back. */
  UNDONE_BY_ROLLOUT,
  /** The daemon did not apply an update to a JVM whose earlier run died soon after it. */
  SKIPPED_BLOCKED
}
