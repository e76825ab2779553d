package io.jsplice.fleet.api;

/** Where the staged rollout of one update in one group stands. */
public enum RolloutState {
  /**
   * Not released to the group: it is under {@link ApplyPolicy#APPROVAL} and nobody approved or
   * started it.
   */
  NOT_STARTED,
  /** Released ring by ring; the hosts of the rings reached so far apply it. */
  RUNNING,
  /** Every ring is reached. */
  COMPLETE,
  /**
   * Stopped: no host applies it any more (those that run it keep it) until an admin resumes it. A
   * failed health gate pauses every group's rollout of the update.
   */
  PAUSED,
  /**
   * Withdrawn: every daemon of the group undoes it where it is in force, and applies it nowhere.
   */
  ROLLED_BACK
}
