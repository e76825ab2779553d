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
 * @param acceptLeftOut the group's {@link Group#acceptLeftOut}: whether the host applies an update
 *     that leaves out classes of the fixed release; false from a server before the setting
 */
public record UpdateList(
    String host,
    HostState state,
    String group,
    ApplyPolicy policy,
    List<AvailableUpdate> updates,
    boolean acceptLeftOut) {

  public UpdateList {
    updates = Lists.copy(updates);
  }
}
