package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * A {@link HostEvent} as the server stored it.
 *
 * @param seq the server's sequence number, increasing; page with {@code ?after=SEQ}
 * @param host the host's name
 * @param at when it happened, by the host's clock
 * @param kind what happened
 * @param jvmKey the JVM; may be null
 * @param pid the JVM's pid, or 0
 * @param updateId the update; may be null
 * @param cause the failure's cause; may be null
 * @param message one line
 */
public record FleetEvent(
    long seq,
    String host,
    Instant at,
    EventKind kind,
    String jvmKey,
    long pid,
    String updateId,
    String cause,
    String message) {}
