package io.jsplice.model;

/**
 * Whether an applied update's fix is in force for everything the program runs, as the agent reports
 * it after an apply and in {@code show}.
 */
public enum InForce {
  /** The fixed behaviour holds for new and for existing state. */
  FULL,
  /**
   * The fixed code runs, but state built before the update may keep the old behaviour (the reply's
   * {@code notInForce} names it); the operator accepted this explicitly.
   */
  PARTLY
}
