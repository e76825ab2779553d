package io.jsplice.fleet.api;

/** Where an update stands in one JVM that loaded the release it targets. */
public enum UpdateJvmState {
  /** The update is in force in it. */
  IN_FORCE,
  /** It loaded the release the update targets and does not run the update. */
  MISSING,
  /** Its daemon reported that applying the update failed (see the detail). */
  FAILED
}
