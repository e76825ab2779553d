package io.jsplice.fleet.api;

/**
 * An admin's decision for one update that leaves out classes of the fixed release (a live subset):
 * hosts of {@code group}, or of every group, apply it though jsplice cannot tell whether the fix is
 * among the classes left out ({@code POST /api/v1/updates/ID/left-out-acceptances}). Unlike a
 * group's {@link Group#acceptLeftOut}, it concerns this update only. Like it, it accepts only the
 * classes left out, never state built before the update that keeps the fix from being in force.
 *
 * @param group the group; null for every group
 */
public record LeftOutAcceptance(String group) {

  /** How {@link PublishedUpdate#leftOutAccepted()} names an acceptance for every group. */
  public static final String EVERY_GROUP = "*";
}
