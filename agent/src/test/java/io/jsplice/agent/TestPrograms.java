package io.jsplice.agent;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The agent jar under test and the small target programs the integration tests run. */
public final class TestPrograms {
  /** Prints {@code tick N} ten times a second until killed. */
  public static final String TICKER =
      """
      public class Ticker {
        public static void main(String[] args) throws Exception {
          System.out.println("ticker started");
          for (int i = 0; ; i++) {
            System.out.println("tick " + i);
            Thread.sleep(100);
          }
        }
      }
      """;

  private TestPrograms() {}

  /**
   * The lines of {@code stderr}. The agent adds none: in particular it does not append to the boot
   * class path, which would make HotSpot print a class-data-sharing warning.
   */
  public static List<String> stderrLines(String stderr) {
    return stderr.lines().toList();
  }

  /** The packaged agent jar; failsafe passes its path. */
  public static Path agentJar() {
    String path = System.getProperty("jsplice.agent.jar");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "no agent jar at jsplice.agent.jar="
              + path
              + "; run the *IT tests through ./mvnw verify");
    }
    return Path.of(path);
  }

  /**
   * Compiles {@code source} (class {@code name}, default package) for Java 17 into a new directory.
   */
  public static Path compile(String name, String source, Path... classpath) {
    try {
      Path dir = Files.createTempDirectory("jsplice-it-" + name);
      Jars.writeDirectory(
          dir,
          Compiler.with(Jdk.current())
              .options("--release", "17")
              .classpath(classpath)
              .compile(name + ".java", source));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String javaagent(String options) {
    return "-javaagent:" + agentJar() + (options.isEmpty() ? "" : "=" + options);
  }
}
