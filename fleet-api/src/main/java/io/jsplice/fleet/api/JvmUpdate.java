package io.jsplice.fleet.api;

import java.time.Instant;

/**
 * An update in force in a JVM, as its agent reports it.
 *
 * @param id the update's id
 * @param appliedAt when it was applied (or reapplied) in this JVM; may be null
 * @param appliedBy who applied it (a user name); may be null
 * @param reapplied whether the agent applied it again by itself as the JVM started, from its
 *     service's record
 */
public record JvmUpdate(String id, Instant appliedAt, String appliedBy, boolean reapplied) {}
