package io.jsplice.fleet.api;

import java.util.List;

/**
 * What a host may apply: the published updates that apply to a library one of its JVMs loaded (by
 * its last report), in publication order. Served with an {@code ETag}; a poll with {@code
 * If-None-Match} gets {@code 304 Not Modified} while nothing that decides this list changed.
 *
 * @param host the host's name
 * @param state always {@link HostState#ACTIVE}: other hosts are refused the list
 * @param group the host's group
 * @param policy the group's policy
 * @param updates the updates, approved or waiting for approval
 */
public record UpdateList(
    String host, HostState state, String group, ApplyPolicy policy, List<AvailableUpdate> updates) {

  public UpdateList {
    updates = Lists.copy(updates);
  }
}
