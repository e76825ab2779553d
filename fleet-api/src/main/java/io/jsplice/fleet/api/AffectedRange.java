package io.jsplice.fleet.api;

import java.util.List;

/**
 * Releases of one Maven library an advisory affects, as OSV states them: from {@code introduced}
 * (inclusive) up to {@code fixed} (exclusive) or {@code lastAffected} (inclusive), and any version
 * listed in {@code versions}.
 *
 * @param groupId the library's group
 * @param artifactId the library's artifact
 * @param introduced the first affected version; {@code 0} or null for all before the end
 * @param fixed the first fixed version; null when none is known
 * @param lastAffected the last affected version; null unless the advisory says it
 * @param versions versions listed one by one
 */
public record AffectedRange(
    String groupId,
    String artifactId,
    String introduced,
    String fixed,
    String lastAffected,
    List<String> versions) {

  public AffectedRange {
    versions = Lists.copy(versions);
  }
}
