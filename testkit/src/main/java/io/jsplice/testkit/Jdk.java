package io.jsplice.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A JDK that tests compile with and start target JVMs on: the one running the tests (17) and
 * Temurin 25, found through the {@code jsplice.test.jdk25} system property.
 *
 * @param home the JDK's home directory
 * @param feature its feature release number, e.g. 17
 */
public record Jdk(Path home, int feature) {

  public static Jdk current() {
    return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
  }

  public static Jdk jdk25() {
    Path home =
        Path.of(System.getProperty("jsplice.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw new IllegalStateException(
          "JDK 25 not found at " + home + "; set -Djsplice.test.jdk25=/path/to/jdk25");
    }
    return new Jdk(home, 25);
  }

  /** The JDKs every target-JVM test runs on. */
  public static List<Jdk> underTest() {
    return List.of(current(), jdk25());
  }

  public Path java() {
    return home.resolve("bin/java");
  }

  public Path javac() {
    return home.resolve("bin/javac");
  }

  public boolean isCurrent() {
    return home.equals(current().home());
  }

  @Override
  public String toString() {
    return "JDK " + feature;
  }
}
