package io.jsplice.fleet.api;

import java.util.List;

/**
 * One JVM that loaded a library, and what the fleet's updates did for it.
 *
 * @param host the host's name
 * @param jvmKey the JVM's key
 * @param pid the JVM's pid
 * @param mainClass its main class or jar
 * @param version the release it loaded
 * @param effectiveVersion the release it effectively runs; null when no update changed it
 * @param patchedBy the published updates for this library in force in it
 * @param missing the published updates for this release that are not in force in it
 */
public record JvmExposure(
    String host,
    String jvmKey,
    long pid,
    String mainClass,
    String version,
    String effectiveVersion,
    List<String> patchedBy,
    List<String> missing) {

  public JvmExposure {
    patchedBy = Lists.copy(patchedBy);
    missing = Lists.copy(missing);
  }

  /** Whether a published update for the release it loaded is not in force in it. */
  public boolean vulnerable() {
    return !missing.isEmpty();
  }
}
