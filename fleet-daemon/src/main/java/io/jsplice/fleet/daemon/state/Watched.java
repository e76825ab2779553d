package io.jsplice.fleet.daemon.state;

import io.jsplice.fleet.daemon.health.Readings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVMs the daemon watches after it applied an update to them ({@code STATE/watch.json}), so
 * that a restarted daemon finishes the watch.
 *
 * @param entries oldest first
 */
public record Watched(List<Entry> entries) {
  public static final String FILE = "watch.json";

  /**
   * One JVM under watch after one update.
   *
   * @param jvmKey the JVM run
   * @param pid its pid
   * @param display how logs name it
   * @param identity the same JVM across restarts: the SHA-256 of its command line
   * @param updateId the update
   * @param appliedAt when the daemon applied it
   * @param before what its checks read just before the update
   */
  public record Entry(
      String jvmKey,
      long pid,
      String display,
      String identity,
      String updateId,
      Instant appliedAt,
      Readings before) {}

  public Watched {
    entries = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
  }

  public static Watched empty() {
    return new Watched(List.of());
  }
}
