package io.jsplice.fleet.api;

import java.time.Instant;
import java.util.List;

/**
 * An update the automatic feed built from a release the fleet runs and a newer release of the same
 * line.
 *
 * @param id the update's id
 * @param groupId the library's group
 * @param artifactId the library's artifact
 * @param fromVersion the release the fleet runs
 * @param toVersion the newer release
 * @param state where it stands
 * @param verdict its analysis' verdict ({@code LIVE}, {@code LIVE_NEEDS_HOOK}, {@code NOT_LIVE});
 *     null until built
 * @param inForce {@code FULL}, {@code PARTLY} or {@code NONE}; null until built
 * @param cves the CVEs the imported advisories say the newer release fixes
 * @param tripwires how many tripwires the feed attached (throws the fixed release added)
 * @param reason why it needs review or failed; null otherwise
 * @param sha256 hex SHA-256 of the signed update file; null until built
 * @param createdAt when the feed found the pair
 * @param changedAt the last change
 */
public record FeedCandidate(
    String id,
    String groupId,
    String artifactId,
    String fromVersion,
    String toVersion,
    FeedState state,
    String verdict,
    String inForce,
    List<String> cves,
    int tripwires,
    String reason,
    String sha256,
    Instant createdAt,
    Instant changedAt) {

  public FeedCandidate {
    cves = Lists.copy(cves);
  }
}
