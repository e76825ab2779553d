package io.jsplice.fleet.api;

import java.util.List;

/**
 * An update's rollouts, one per group, by group name.
 *
 * @param updateId the update
 * @param rollouts by group
 */
public record RolloutList(String updateId, List<Rollout> rollouts) {
  public RolloutList {
    rollouts = Lists.copy(rollouts);
  }
}
