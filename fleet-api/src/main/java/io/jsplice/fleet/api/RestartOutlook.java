package io.jsplice.fleet.api;

/** {@code jsplice verify} for one JVM: would a restart come back to the same effective code? */
public enum RestartOutlook {
  /** Same code after a restart (updates recorded for the service apply again). */
  SAME,
  /** A restart would run different code: something on disk was upgraded. */
  DIFFERENT,
  /** A restart would lose a fix: an applied update is not recorded for the JVM's service. */
  WOULD_LOSE_FIX,
  /** Not checked (no agent, or the check failed). */
  UNKNOWN
}
