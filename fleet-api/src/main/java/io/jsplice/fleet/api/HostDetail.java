package io.jsplice.fleet.api;

import java.util.List;

/**
 * One host with its JVMs and its latest events.
 *
 * @param host the summary
 * @param jvms its JVMs as last reported
 * @param events its most recent events, newest first
 */
public record HostDetail(HostSummary host, List<JvmInventory> jvms, List<FleetEvent> events) {
  public HostDetail {
    jvms = Lists.copy(jvms);
    events = Lists.copy(events);
  }
}
