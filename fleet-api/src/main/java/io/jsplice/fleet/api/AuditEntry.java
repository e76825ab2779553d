package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * One admin action, as the server recorded it when it happened (in the same transaction).
 *
 * @param seq increasing; page with {@code ?after=SEQ}
 * @param at when
 * @param actor who (the admin credential's name)
 * @param action what: {@code publish}, {@code host.deactivate}, ...
 * @param target the host, update or group acted on
 * @param detail what else matters (a reason, a policy); may be null
 * @param remote the client's address
 */
public record AuditEntry(
    long seq,
    Instant at,
    String actor,
    String action,
    String target,
    String detail,
    String remote) {}
