package io.jsplice.fleet.api;

import java.util.List;

/**
 * A group's rollout rings ({@code PUT /api/v1/groups/NAME/rings}).
 *
 * @param group the group (in answers; ignored in requests)
 * @param rings ring names in rollout order, e.g. {@code [canary, main]}; empty for one ring
 * @param promoteAfterSeconds how long a ring must stay healthy before the next one is reached
 *     without an admin (every JVM of the ring that needs the update runs it and passed its health
 *     gate); null when only an admin promotes
 */
public record RingSettings(String group, List<String> rings, Long promoteAfterSeconds) {
  public RingSettings {
    rings = Lists.copy(rings);
  }
}
