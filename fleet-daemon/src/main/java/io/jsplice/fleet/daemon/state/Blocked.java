package io.jsplice.fleet.daemon.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Updates this daemon never applies again by itself to a JVM with a given command line, because an
 * earlier run of it exited soon after the update ({@code STATE/blocked.json}; Canonical Livepatch
 * keeps such a patch from being reapplied after the crash). Removing an entry (or the file) lets
 * the daemon apply the update again.
 *
 * @param entries oldest first
 */
public record Blocked(List<Entry> entries) {
  public static final String FILE = "blocked.json";

  /**
   * @param identity the SHA-256 of the JVM's command line
   * @param updateId the update
   * @param at when the JVM was found gone
   * @param commandLine the command line, shortened, for whoever reads the file
   * @param reason one line
   */
  public record Entry(
      String identity, String updateId, Instant at, String commandLine, String reason) {}

  public Blocked {
    entries = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
  }

  public static Blocked empty() {
    return new Blocked(List.of());
  }

  public boolean blocks(String identity, String updateId) {
    return entries.stream()
        .anyMatch(e -> e.identity().equals(identity) && e.updateId().equals(updateId));
  }
}
