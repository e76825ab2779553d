package io.jsplice.fleet.api;

/**
 * An admin's pause or rollback of a rollout.
 *
 * @param reason why; may be null
 */
public record RolloutAction(String reason) {}
