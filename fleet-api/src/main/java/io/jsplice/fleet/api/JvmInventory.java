package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * One JVM of a host, as its daemon last saw it. Two JVMs of one host can run different releases, so
 * inventory is per JVM, not per host.
 *
 * @param key identifies this run of the JVM: its pid and start time ({@code PID@EPOCHMILLIS}); a
 *     restarted JVM has a new key
 * @param pid its process id
 * @param mainClass the main class or jar; may be empty
 * @param commandLine the command line, possibly shortened; may be empty
 * @param jdkVersion {@code java.version} of the JVM; may be null
 * @param startedAt when the process started; may be null
 * @param agent whether a jsplice agent answers in it
 * @param service the agent's service name, under which it records updates; may be null
 * @param artifacts the libraries it loaded classes from
 * @param updates the updates in force in it
 * @param stale whether it runs what is on disk
 * @param verify whether a restart would bring back the same code
 */
public record JvmInventory(
    String key,
    long pid,
    String mainClass,
    String commandLine,
    String jdkVersion,
    Instant startedAt,
    boolean agent,
    String service,
    List<LoadedArtifact> artifacts,
    List<JvmUpdate> updates,
    StaleVerdict stale,
    RestartOutlook verify) {

  public JvmInventory {
    mainClass = mainClass == null ? "" : mainClass;
    commandLine = commandLine == null ? "" : commandLine;
    artifacts = Lists.copy(artifacts);
    updates = Lists.copy(updates);
    stale = stale == null ? StaleVerdict.UNKNOWN : stale;
    verify = verify == null ? RestartOutlook.UNKNOWN : verify;
  }

  /** Whether {@code updateId} is in force in this JVM. */
  public boolean hasApplied(String updateId) {
    return updates.stream().anyMatch(u -> u.id().equals(updateId));
  }
}
