package io.jsplice.cli.corpus;

import java.util.List;

/**
 * One real security fix from the development corpus, as the tests exercise it in a running JVM.
 *
 * @param cve the CVE id, also the update id
 * @param library {@code group:artifact}
 * @param vulnerable the version the target JVM runs
 * @param fixed the version whose code the update installs
 * @param classpath further artifacts ({@code group:artifact:version}) the probe program needs
 * @param exclude classes of the release diff the update leaves out ({@code --exclude}): changes
 *     unrelated to the fix that cannot be applied live; empty for the whole release
 * @param probe a Java program named {@code Probe}: it builds the state a long-running application
 *     would hold, prints {@code ready}, then answers each {@code probe} line on stdin with one line
 *     {@code RESULT <observation>}
 * @param vulnerableResult what the observation contains while the vulnerable code runs
 * @param fixedResult what it contains once the fix is in force
 */
record CorpusCase(
    String cve,
    String library,
    String vulnerable,
    String fixed,
    List<String> classpath,
    List<String> exclude,
    String probe,
    String vulnerableResult,
    String fixedResult) {

  String vulnerableCoordinates() {
    return library + ":" + vulnerable;
  }

  String fixedCoordinates() {
    return library + ":" + fixed;
  }

  @Override
  public String toString() {
    return cve + " " + library.substring(library.indexOf(':') + 1) + " " + vulnerable;
  }
}
