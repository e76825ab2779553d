package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * A host's inventory and what its daemon did since its last acknowledged report. The inventory
 * replaces the host's previous one; the events are added.
 *
 * @param id chosen by the daemon (a UUID). Sending a report again after a lost answer is safe: the
 *     server stores it once and answers {@link ReportReceipt#duplicate()}
 * @param sentAt when the daemon made it
 * @param daemonVersion the daemon's jsplice version; may be null
 * @param jvms every JVM the daemon manages on the host
 * @param events what happened, oldest first
 */
public record HostReport(
    String id,
    Instant sentAt,
    String daemonVersion,
    List<JvmInventory> jvms,
    List<HostEvent> events) {

  public HostReport {
    jvms = Lists.copy(jvms);
    events = Lists.copy(events);
  }
}
