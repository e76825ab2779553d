package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * The staged rollout of one update in one group: its rings, in order, and how far it got. Hosts
 * whose ring is not one of the group's rings count as the last ring.
 *
 * @param updateId the update
 * @param group the group
 * @param policy the group's apply policy
 * @param state where it stands
 * @param rings the ring names in rollout order ({@code all} for a group without rings)
 * @param ring the index in {@code rings} of the last ring reached; -1 when none is
 * @param promoteAfterSeconds how long a ring must be healthy before the next is reached without an
 *     admin; null when only an admin promotes
 * @param startedAt when it was started; null when never
 * @param ringStartedAt when the current ring was reached; null when never
 * @param changedAt the last change; null when never
 * @param changedBy who made it ({@code auto-promotion}, a host for a failed gate, or an admin)
 * @param reason why it is paused or rolled back; null otherwise
 * @param progress ring by ring
 */
public record Rollout(
    String updateId,
    String group,
    ApplyPolicy policy,
    RolloutState state,
    List<String> rings,
    int ring,
    Long promoteAfterSeconds,
    Instant startedAt,
    Instant ringStartedAt,
    Instant changedAt,
    String changedBy,
    String reason,
    List<RingProgress> progress) {

  public Rollout {
    rings = Lists.copy(rings);
    progress = Lists.copy(progress);
  }
}
