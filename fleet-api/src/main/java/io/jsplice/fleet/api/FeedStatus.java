package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * The automatic feed: what it watches and what it built.
 *
 * @param enabled whether this server runs a feed ({@code jsplice server --feed-key})
 * @param repository the Maven repository it watches; null when not enabled
 * @param watching the releases the fleet's inventory says are loaded (group:artifact:version)
 * @param lastCheck when it last asked the repository; null when never
 * @param lastError why the last check failed; null when it did not
 * @param candidates what it built, newest first
 */
public record FeedStatus(
    boolean enabled,
    String repository,
    int watching,
    Instant lastCheck,
    String lastError,
    List<FeedCandidate> candidates) {

  public FeedStatus {
    candidates = Lists.copy(candidates);
  }
}
