package io.jsplice.cli.attach;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The target JVMs the attach tests load the agent into, and the agent jar under test. */
final class Targets {
  /** HotSpot's line when an agent appends to the boot class path with CDS on; not ours. */
  private static Path ticker;

  private Targets() {}

  static Path agentJar() {
    String path = System.getProperty(AgentLoader.AGENT_JAR_PROPERTY);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "no agent jar at "
              + AgentLoader.AGENT_JAR_PROPERTY
              + "="
              + path
              + "; run through ./mvnw verify -pl cli -am");
    }
    return Path.of(path);
  }

  static AgentLoader loader() {
    return new AgentLoader(agentJar());
  }

  /** A JVM printing {@code tick N} ten times a second, with {@code jvmArgs}. */
  static synchronized TargetJvm ticker(Jdk jdk, String... jvmArgs) {
    if (ticker == null) {
      try {
        // Under target/, so that the build cleans it; surefire runs in the module directory.
        ticker =
            Files.createDirectories(Path.of("target", "test-programs", "ticker")).toAbsolutePath();
        Jars.writeDirectory(
            ticker,
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .compile(
                    "Ticker.java",
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
                    """));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return TargetJvm.on(jdk).jvmArgs(jvmArgs).classpath(ticker).mainClass("Ticker").start();
  }

  /** The lines of stderr that are not JEP 451's dynamic-load warning (JDK 21+ prints it). */
  static List<String> unexpectedStderr(String stderr) {
    return stderr.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
  }
}
