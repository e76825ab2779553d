package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * A {@link FleetEvent} as {@code jsplice server --events-webhook} forwards it: the event with what
 * a receiver needs to act on it without asking the server (the update's CVEs, the host's group, the
 * JVM's main class). Delivered in an {@link EventBatch}.
 *
 * @param seq the server's sequence number, increasing; a receiver dedups by it (delivery is at
 *     least once)
 * @param kind what happened
 * @param at when it happened, by the host's clock
 * @param host the host's name
 * @param group the host's group when the event was forwarded; null when the host was removed since
 * @param jvmKey the JVM run ({@code PID@STARTTIME}); null for host-wide events
 * @param pid the JVM's pid, or 0
 * @param mainClass the JVM's main class when it is in the host's latest report; may be null
 * @param updateId the update; may be null
 * @param cves the CVE ids the update fixes, as published; empty when there is no update or it is
 *     not (or no longer) published
 * @param cause the failure's cause ({@code RUN_PRE_MISMATCH}, {@code CLASSES_LEFT_OUT}, ...; the
 *     CVE for {@link EventKind#TRIPWIRE}); may be null
 * @param message one line for an operator
 */
public record ForwardedEvent(
    long seq,
    EventKind kind,
    Instant at,
    String host,
    String group,
    String jvmKey,
    long pid,
    String mainClass,
    String updateId,
    List<String> cves,
    String cause,
    String message) {

  public ForwardedEvent {
    cves = Lists.copy(cves);
  }
}
