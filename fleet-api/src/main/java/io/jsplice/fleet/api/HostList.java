package io.jsplice.fleet.api;

import java.util.List;

/** The hosts, by name. */
public record HostList(List<HostSummary> hosts) {
  public HostList {
    hosts = Lists.copy(hosts);
  }
}
