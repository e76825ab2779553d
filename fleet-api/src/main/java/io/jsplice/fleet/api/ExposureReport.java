package io.jsplice.fleet.api;

import java.util.List;

/**
 * "Which JVMs load a vulnerable version of X, and which of them are patched": every JVM that loaded
 * {@code groupId:artifactId}, with the updates in force and missing. A release counts as vulnerable
 * when a published update targets it.
 *
 * @param groupId the library's group
 * @param artifactId the library's artifact
 * @param jvms the JVMs, by host and pid
 */
public record ExposureReport(String groupId, String artifactId, List<JvmExposure> jvms) {
  public ExposureReport {
    jvms = Lists.copy(jvms);
  }

  public long vulnerable() {
    return jvms.stream().filter(JvmExposure::vulnerable).count();
  }

  public long patched() {
    return jvms.stream().filter(j -> !j.patchedBy().isEmpty() && !j.vulnerable()).count();
  }
}
