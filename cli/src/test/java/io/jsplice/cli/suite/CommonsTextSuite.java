package io.jsplice.cli.suite;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The published test suite of commons-text 1.10.0 (its {@code tests} jar), ready to run against
 * commons-text 1.9 or 1.10.0 in a JVM of its own: every jar fetched from Maven Central through
 * {@link MavenArtifacts}, the files the tests read relative to the working directory extracted into
 * one, and the small launcher program ({@code SuiteRunner}, {@code LiveApplication}) compiled.
 *
 * <p>The test dependencies are the versions the 1.10.0 build used (its pom names them);
 * commons-lang3 is 3.12.0, the version 1.10.0 depends on, for both releases, so that only
 * commons-text differs.
 */
final class CommonsTextSuite {
  static final String VULNERABLE = "1.9";
  static final String FIXED = "1.10.0";

  private static final String TEXT = "org.apache.commons:commons-text:";
  private static final List<String> TEST_CLASSPATH =
      List.of(
          "org.junit.platform:junit-platform-console-standalone:1.9.1",
          "org.assertj:assertj-core:3.23.1",
          "commons-io:commons-io:2.11.0",
          "org.mockito:mockito-inline:4.8.0",
          "org.mockito:mockito-core:4.8.0",
          "net.bytebuddy:byte-buddy:1.12.14",
          "net.bytebuddy:byte-buddy-agent:1.12.14",
          "org.objenesis:objenesis:3.2",
          "org.apache.commons:commons-rng-simple:1.4",
          "org.apache.commons:commons-rng-core:1.4",
          "org.apache.commons:commons-rng-client-api:1.4");

  private final Path workDir;
  private final Map<String, Path> library = new LinkedHashMap<>(); // version -> commons-text jar
  private final Path lang3;
  private final Path testsJar;
  private final List<Path> testClasspath = new ArrayList<>();
  private final Path runner;

  private CommonsTextSuite(Path workDir, MavenArtifacts maven) throws IOException {
    this.workDir = workDir;
    for (String version : List.of(VULNERABLE, FIXED)) {
      library.put(version, resolve(maven, TEXT + version));
    }
    this.lang3 = resolve(maven, "org.apache.commons:commons-lang3:3.12.0");
    this.testsJar = resolve(maven, TEXT + FIXED + ":tests");
    testClasspath.add(testsJar);
    for (String coordinates : TEST_CLASSPATH) {
      testClasspath.add(resolve(maven, coordinates));
    }
    // The tests open src/test/resources/... and src/main/java/.../EntityArrays.java.
    extract(testsJar, workDir.resolve("src/test/resources"));
    extract(resolve(maven, TEXT + FIXED + ":sources"), workDir.resolve("src/main/java"));
    this.runner = compileRunner();
  }

  /** Fetches and prepares everything under {@code workDir}, which should be empty or absent. */
  static CommonsTextSuite prepare(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    try (MavenArtifacts maven = new MavenArtifacts()) {
      return new CommonsTextSuite(workDir.toAbsolutePath(), maven);
    }
  }

  Path workDir() {
    return workDir;
  }

  /** Tells which classes and members 1.10.0 adds to 1.9. */
  AddedApi addedApi() {
    return new AddedApi(library.get(VULNERABLE), library.get(FIXED));
  }

  /**
   * Starts a JVM that runs the suite against commons-text {@code version}; {@code live} first uses
   * the library and waits for a line on stdin (see {@code SuiteRunner}). Reports go to {@code
   * reports}.
   */
  TargetJvm start(Jdk jdk, String version, boolean live, Path reports) {
    List<Path> classpath = new ArrayList<>(List.of(library.get(version), lang3));
    classpath.addAll(testClasspath);
    classpath.add(runner);
    List<String> jvmArgs = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC"));
    if (jdk.feature() > 17) {
      // The suite's Byte Buddy (1.12.14, 2022, for mockito-inline) refuses class files of
      // Java versions released after it unless told to try.
      jvmArgs.add("-Dnet.bytebuddy.experimental=true");
    }
    return TargetJvm.on(jdk)
        .directory(workDir)
        .jvmArgs(jvmArgs.toArray(String[]::new))
        .classpath(classpath.toArray(Path[]::new))
        .mainClass("SuiteRunner")
        .args(live ? "live" : "cold", testsJar.toString(), reports.toString())
        .start();
  }

  private Path compileRunner() throws IOException {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String name : List.of("SuiteRunner.java", "LiveApplication.java")) {
      try (InputStream in =
          CommonsTextSuite.class.getResourceAsStream("/commons-text-suite/" + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "test resource commons-text-suite/" + name + " is missing");
        }
        sources.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    Map<String, byte[]> classes =
        Compiler.with(Jdk.current())
            .options("--release", "17", "-nowarn")
            .classpath(testClasspath.get(1), library.get(VULNERABLE))
            .compile(sources);
    return Jars.writeDirectory(workDir.resolve("runner"), classes);
  }

  private static Path resolve(MavenArtifacts maven, String coordinates) throws IOException {
    return maven.resolve(MavenCoordinates.parse(coordinates));
  }

  /** Copies a jar's files, except class files and META-INF, under {@code target}. */
  private static void extract(Path jar, Path target) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : file.stream().toList()) {
        String name = entry.getName();
        if (entry.isDirectory() || name.startsWith("META-INF/") || name.endsWith(".class")) {
          continue;
        }
        Path out = target.resolve(name).normalize();
        if (!out.startsWith(target)) {
          throw new IOException(jar + " has an entry outside its root: " + name);
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
