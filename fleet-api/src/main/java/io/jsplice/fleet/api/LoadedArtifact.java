package io.jsplice.fleet.api;

/**
 * A library a JVM loaded classes from.
 *
 * @param groupId Maven group id; null when the jar carries no Maven metadata
 * @param artifactId Maven artifact id, or the jar's file name
 * @param version the release on disk; may be null
 * @param effectiveVersion the release whose code the JVM effectively runs after the updates applied
 *     to it ("commons-text 1.9, effectively 1.10.0"); null when no update changed it
 * @param source the jar or directory it came from; may be null
 */
public record LoadedArtifact(
    String groupId, String artifactId, String version, String effectiveVersion, String source) {

  /** {@code group:artifact:version}, with {@code ?} for what is unknown. */
  public String coordinates() {
    return (groupId == null ? "?" : groupId)
        + ":"
        + artifactId
        + ":"
        + (version == null ? "?" : version);
  }
}
