package io.jsplice.fleet.cli;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small services the fleet's tests run as hosts' JVMs ({@link FleetTarget}, {@link
 * HealthTarget}): compiled once per test run, and probed on stdin with a line {@code ID PROBE} that
 * they answer with a line {@code ID -> RESULT}.
 */
final class ServicePrograms {
  private static final AtomicInteger PROBES = new AtomicInteger();
  private static final Map<String, Path> COMPILED = new HashMap<>();

  private ServicePrograms() {}

  /**
   * Class {@code className} compiled from {@code source} against {@code classpath} into the class
   * directory target/{@code dir}, once per test run.
   */
  static synchronized Path compiled(
      String dir, String className, String source, Path... classpath) {
    return COMPILED.computeIfAbsent(
        dir,
        d -> {
          try {
            Path classes = Files.createDirectories(Path.of("target", d)).toAbsolutePath();
            Jars.writeDirectory(
                classes,
                Compiler.with(Jdk.current())
                    .options("--release", "17")
                    .classpath(classpath)
                    .compile(className + ".java", source));
            return classes;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** What the service in {@code jvm} answers to {@code probe} now. */
  static String ask(TargetJvm jvm, String probe) {
    String id = "p" + PROBES.incrementAndGet();
    jvm.sendLine(id + " " + probe);
    String prefix = id + " -> ";
    jvm.awaitStdout(prefix, Duration.ofMinutes(2));
    return jvm.stdout()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length());
  }
}
