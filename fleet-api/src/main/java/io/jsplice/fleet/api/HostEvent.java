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
 * @param cause the failure's cause ({@code RUN_PRE_MISMATCH}, {@code CODE_BUSY}, ...), or {@value
 *     #CLASSES_LEFT_OUT}; may be null
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
    String message) {

  /**
   * The cause of an {@link EventKind#APPLY_FAILED} whose update leaves out classes of the fixed
   * release (a live subset) in a group whose policy does not accept that ({@link
   * Group#acceptLeftOut}): the agent refused it ({@code PARTLY_IN_FORCE}), the message names the
   * classes, and the daemon does not try it again in that run of the JVM unless the policy changes.
   */
  public static final String CLASSES_LEFT_OUT = "CLASSES_LEFT_OUT";
}
