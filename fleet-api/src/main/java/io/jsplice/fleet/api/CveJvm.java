package io.jsplice.fleet.api;

import java.util.List;

/**
 * One JVM a CVE concerns (see {@link CveExposure}).
 *
 * @param host the host's name
 * @param group the host's group
 * @param jvmKey the JVM's key
 * @param pid its pid
 * @param mainClass its main class or jar; may be null
 * @param library {@code group:artifact:version} it loaded that the CVE concerns; null when it only
 *     runs an update naming the CVE
 * @param exposed whether no update naming the CVE is in force in it
 * @param patchedBy the updates naming the CVE in force in it
 * @param missing the updates naming the CVE that target the release it loaded and are not in force
 * @param lastFailure the last failed apply of one of those updates its daemon reported ("ID CAUSE:
 *     message"); null when none
 */
public record CveJvm(
    String host,
    String group,
    String jvmKey,
    long pid,
    String mainClass,
    String library,
    boolean exposed,
    List<String> patchedBy,
    List<String> missing,
    String lastFailure) {
  public CveJvm {
    patchedBy = Lists.copy(patchedBy);
    missing = Lists.copy(missing);
  }
}
