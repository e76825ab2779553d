package io.jsplice.fleet.api;

import java.util.List;

/**
 * An advisory that affects a release a JVM loaded.
 *
 * @param jvmKey the JVM
 * @param pid its pid
 * @param library {@code group:artifact:version} it loaded
 * @param advisory the advisory's id
 * @param cves its CVE ids
 * @param summary one line
 * @param fixedIn the first fixed release, if the advisory names one
 * @param patchedBy the updates in force in the JVM that fix one of its CVEs
 */
public record JvmAdvisory(
    String jvmKey,
    long pid,
    String library,
    String advisory,
    List<String> cves,
    String summary,
    String fixedIn,
    List<String> patchedBy) {

  public JvmAdvisory {
    cves = Lists.copy(cves);
    patchedBy = Lists.copy(patchedBy);
  }
}
