package io.jsplice.cli.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real security fix from the development corpus, as the tests exercise it in a running JVM.
 *
 * @param cve the CVE id, also the update id
 * @param library {@code group:artifact}
 * @param vulnerable the version the target JVM runs
 * @param fixed the version whose code the update installs
 * @param classpath further artifacts ({@code group:artifact:version}) the probe program needs; the
 *     same for both releases (a live update replaces the library only)
 * @param exclude classes of the release diff the update leaves out ({@code --exclude}): changes
 *     unrelated to the fix that cannot be applied live; empty for the whole release
 * @param probe a Java program named {@code Probe}: it builds the state a long-running application
 *     would hold, prints {@code ready}, then answers each {@code probe} line on stdin with one line
 *     {@code RESULT <observation>}
 * @param vulnerableResult what the observation contains while the vulnerable code runs
 * @param fixedResult what it contains once the fix is in force
 * @param siblings further artifacts ({@code group:artifact}) released together with {@code
 *     library}, at the same versions, that the fix spans (log4j-core needs the newer log4j-api):
 *     the update is built across all of them and each release runs all of them
 * @param sources further source files compiled with the probe, by path ({@code p/Foo.java})
 * @param resources files put next to the compiled probe, on its class path, by path
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
    String fixedResult,
    List<String> siblings,
    Map<String, String> sources,
    Map<String, String> resources) {

  /** The two releases a case compares. */
  enum Release {
    VULNERABLE,
    FIXED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A fix in one artifact, probed by one source file. */
  CorpusCase(
      String cve,
      String library,
      String vulnerable,
      String fixed,
      List<String> classpath,
      List<String> exclude,
      String probe,
      String vulnerableResult,
      String fixedResult) {
    this(
        cve,
        library,
        vulnerable,
        fixed,
        classpath,
        exclude,
        probe,
        vulnerableResult,
        fixedResult,
        List.of(),
        Map.of(),
        Map.of());
  }

  CorpusCase withSiblings(String... groupArtifacts) {
    return with(List.of(groupArtifacts), sources, resources);
  }

  CorpusCase withSources(Map<String, String> more) {
    return with(siblings, merged(sources, more), resources);
  }

  CorpusCase withResources(Map<String, String> more) {
    return with(siblings, sources, merged(resources, more));
  }

  private CorpusCase with(
      List<String> siblings, Map<String, String> sources, Map<String, String> resources) {
    return new CorpusCase(
        cve,
        library,
        vulnerable,
        fixed,
        classpath,
        exclude,
        probe,
        vulnerableResult,
        fixedResult,
        siblings,
        sources,
        resources);
  }

  String vulnerableCoordinates() {
    return library + ":" + vulnerable;
  }

  String fixedCoordinates() {
    return library + ":" + fixed;
  }

  /** {@code group:artifact:version} of the library and its siblings, in that order. */
  List<String> artifacts(Release release) {
    String version = release == Release.VULNERABLE ? vulnerable : fixed;
    List<String> out = new ArrayList<>();
    out.add(library + ":" + version);
    siblings.forEach(sibling -> out.add(sibling + ":" + version));
    return out;
  }

  /** What the observation contains while {@code release}'s code runs. */
  String result(Release release) {
    return release == Release.VULNERABLE ? vulnerableResult : fixedResult;
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new LinkedHashMap<>(a);
    out.putAll(b);
    return Map.copyOf(out);
  }

  @Override
  public String toString() {
    return cve + " " + library.substring(library.indexOf(':') + 1) + " " + vulnerable;
  }
}
