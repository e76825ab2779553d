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
  static final String CDS_WARNING = "Sharing is only supported for boot loader classes";

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

  /** The lines of stderr that are neither the CDS warning nor JEP 451's dynamic-load warning. */
  static List<String> unexpectedStderr(String stderr) {
    return stderr
        .lines()
        .filter(line -> !line.contains(CDS_WARNING))
        .filter(line -> !line.startsWith("WARNING: "))
        .toList();
  }
}
