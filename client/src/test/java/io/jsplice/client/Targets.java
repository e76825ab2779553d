package io.jsplice.client;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The target JVMs the client tests reach, and the agent jar under test. */
final class Targets {
  private static Path ticker;

  private Targets() {}

  static Path agentJar() {
    String path = System.getProperty(Agents.AGENT_JAR_PROPERTY);
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException(
          "no agent jar at "
              + Agents.AGENT_JAR_PROPERTY
              + "="
              + path
              + "; run through ./mvnw verify -pl client -am");
    }
    return Path.of(path);
  }

  static Agents agents() {
    return Agents.withAgentJar(agentJar());
  }

  /** The directory of the ticker's class, compiled once. */
  static synchronized Path tickerClasses() {
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
                        for (String name : args) {
                          Class.forName(name);
                        }
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
    return ticker;
  }

  /** A JVM printing {@code tick N} ten times a second, with {@code jvmArgs}. */
  static TargetJvm ticker(Jdk jdk, String... jvmArgs) {
    return TargetJvm.on(jdk)
        .jvmArgs(jvmArgs)
        .classpath(tickerClasses())
        .mainClass("Ticker")
        .start();
  }

  /** The lines of stderr that are not JEP 451's dynamic-load warning (JDK 21+ prints it). */
  static List<String> unexpectedStderr(String stderr) {
    return stderr.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
  }

  static long unusedPid() {
    long pid = 4_000_000;
    while (ProcessHandle.of(pid).isPresent()) {
      pid++;
    }
    return pid;
  }
}
