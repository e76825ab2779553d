package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.HostState;
import java.time.Instant;
import java.util.List;

/**
 * What the daemon last did, written to {@code STATE/status.json} after every poll (as {@code
 * canonical-livepatch status --format json} answers): for operators, monitoring, and tests that
 * wait for a poll to have happened.
 *
 * @param cycle how many polls it completed since it started
 * @param at when the last one ended
 * @param host the host's name
 * @param server the server
 * @param hostState what the server last said of the host; null before it said anything
 * @param stateMessage why the host applies nothing, when it does not; null otherwise
 * @param serverReachable whether the last attempt reached the server
 * @param serverError what went wrong with the server; null when nothing did
 * @param nextServerAttempt when it tries the server again, when it backs off; null otherwise
 * @param listEtag the ETag of the update list it holds
 * @param updates the ids of the updates in that list
 * @param jvms the JVMs it manages
 * @param pendingEvents events not yet acknowledged by the server
 * @param applied what it applied in this poll ({@code ID to PID})
 * @param failed what failed in this poll ({@code ID to PID: CAUSE})
 */
public record DaemonStatus(
    long cycle,
    Instant at,
    String host,
    String server,
    HostState hostState,
    String stateMessage,
    boolean serverReachable,
    String serverError,
    Instant nextServerAttempt,
    String listEtag,
    List<String> updates,
    List<Jvm> jvms,
    int pendingEvents,
    List<String> applied,
    List<String> failed) {
  public static final String FILE = "status.json";

  /**
   * One managed JVM.
   *
   * @param pid its pid
   * @param key its run's key
   * @param mainClass its main class or jar
   * @param artifacts the releases it loaded, {@code group:artifact:version}
   * @param updates the updates in force in it
   */
  public record Jvm(
      long pid, String key, String mainClass, List<String> artifacts, List<String> updates) {}
}
