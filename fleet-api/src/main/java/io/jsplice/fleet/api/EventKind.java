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
  /** Patched code blocked an exploit attempt (reserved for tripwires). */
  TRIPWIRE
}
