package io.jsplice.cli.corpus;

import io.jsplice.cli.corpus.CorpusCase.Release;
import io.jsplice.cli.live.ProbedJvm;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.Postgres;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The probe programs of the corpus cases: compiled once against the vulnerable release, and started
 * on either release (the same classes, as a live update leaves them). Jars come from Maven Central
 * through the local repository.
 *
 * <p>Thread-safe; compiled probes and resolved class paths are kept for the test JVM's life.
 */
final class CorpusProbes {
  /** Where compiled probes, keys and updates of the corpus tests go. */
  static final Path WORK = Path.of("target", "corpus").toAbsolutePath();

  /**
   * The system property a probe that talks to PostgreSQL reads its JDBC URL from: each such probe
   * JVM gets a new database of the tests' own server.
   */
  static final String POSTGRES_PROPERTY = "jsplice.test.postgres";

  private static final Map<String, List<Path>> classpaths = new HashMap<>();
  private static final Set<String> compiled = new HashSet<>();

  private CorpusProbes() {}

  /**
   * Starts {@code c}'s probe on {@code release} and waits until it has built its state. The probe
   * runs with UTF-8 as its default charset, as JDK 18 and later have whatever the locale (JEP 400):
   * on JDK 17 the default follows the locale, which on a fresh machine may be ASCII, and an update
   * that names UTF-8 where the old release used the default charset is in force only where the
   * default is UTF-8 ({@code DefaultCharsetLiveTest} shows the other case).
   *
   * @param jvmArgs options before the main class, e.g. {@code -javaagent:...}
   */
  static ProbedJvm start(CorpusCase c, Release release, Jdk jdk, List<String> jvmArgs)
      throws IOException {
    List<Path> classpath = new ArrayList<>();
    classpath.add(compiled(c));
    classpath.addAll(classpath(c, release));
    List<String> options = new ArrayList<>(List.of("-Dfile.encoding=UTF-8"));
    if (c.probe().contains(POSTGRES_PROPERTY)) {
      options.add("-D" + POSTGRES_PROPERTY + "=" + Postgres.get().newDatabase("probe"));
    }
    options.addAll(jvmArgs);
    return new ProbedJvm(
        TargetJvm.on(jdk)
            .jvmArgs(options.toArray(String[]::new))
            .classpath(classpath.toArray(Path[]::new))
            .mainClass("Probe")
            .start());
  }

  /** The library (and its siblings) at {@code release}, then the probe's further artifacts. */
  static synchronized List<Path> classpath(CorpusCase c, Release release) {
    return classpaths.computeIfAbsent(
        c.cve() + " " + release,
        key -> {
          List<Path> out = new ArrayList<>();
          try (MavenArtifacts maven = new MavenArtifacts()) {
            for (String artifact : c.artifacts(release)) {
              out.add(maven.resolve(MavenCoordinates.parse(artifact)));
            }
            for (String dependency : c.classpath()) {
              out.add(maven.resolve(MavenCoordinates.parse(dependency)));
            }
          } catch (IOException e) {
            throw new IllegalStateException(
                "cannot fetch " + c + " (" + release + "): " + e.getMessage(), e);
          }
          return out;
        });
  }

  /** The probe program compiled against the vulnerable release, with its resources beside it. */
  static synchronized Path compiled(CorpusCase c) throws IOException {
    Path dir = WORK.resolve("probes").resolve(c.cve());
    if (compiled.contains(c.cve())) {
      return dir;
    }
    Compiler.deleteTree(dir); // a probe compiled by an earlier run may be of older source
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("Probe.java", c.probe());
    sources.putAll(c.sources());
    Jars.writeDirectory(
        dir,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(classpath(c, Release.VULNERABLE).toArray(Path[]::new))
            .compile(sources));
    for (Map.Entry<String, String> resource : c.resources().entrySet()) {
      Path file = dir.resolve(resource.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, resource.getValue());
    }
    compiled.add(c.cve());
    return dir;
  }
}
