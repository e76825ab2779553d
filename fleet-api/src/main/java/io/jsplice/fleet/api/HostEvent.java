package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * Something a daemon did to, or saw in, one of its JVMs; sent with the next {@link HostReport}.
 *
 * @param id chosen by the daemon (a UUID): the server stores each event once, however often it is
 *     sent
 * @param at when it happened
 * @param kind what happened
 * @param jvmKey the JVM's {@link JvmInventory#key()}; may be null for host-wide events
 * @param pid the JVM's pid; 0 for host-wide events
 * @param updateId the update concerned; may be null
 * @param cause the failure's cause ({@code RUN_PRE_MISMATCH}, {@code CODE_BUSY}, ...); may be null
 * @param message one line for an operator
 */
public record HostEvent(
    String id,
    Instant at,
    EventKind kind,
    String jvmKey,
    long pid,
    String updateId,
    String cause,
    String message) {}
