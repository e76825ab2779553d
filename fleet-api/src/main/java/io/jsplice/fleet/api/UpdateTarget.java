package io.jsplice.fleet.api;

/**
 * A library an update applies to: a JVM that loaded {@code groupId:artifactId:fromVersion} is one
 * the update is for.
 *
 * @param groupId Maven group id; null when the update was built from jars without Maven metadata
 * @param artifactId Maven artifact id
 * @param fromVersion the release the update was built against; may be null
 * @param toVersion the release whose code it installs; may be null
 */
public record UpdateTarget(
    String groupId, String artifactId, String fromVersion, String toVersion) {

  /** Whether a JVM that loaded {@code artifact} runs the release this update was built against. */
  public boolean matches(LoadedArtifact artifact) {
    return groupId != null
        && fromVersion != null
        && groupId.equals(artifact.groupId())
        && artifactId.equals(artifact.artifactId())
        && fromVersion.equals(artifact.version());
  }

  /** "commons-text 1.9 -> 1.10.0". */
  public String display() {
    return artifactId
        + " "
        + (fromVersion == null ? "?" : fromVersion)
        + " -> "
        + (toVersion == null ? "?" : toVersion);
  }
}
