package io.jsplice.cli.live;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.MavenResolutionException;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Compilers other than javac, fetched from Maven Central and run as processes on the current JDK:
 * what they emit for the same source differs from javac's (the Eclipse compiler's and Kotlin's
 * switch tables), and a live update meets programs compiled by them.
 */
final class OtherCompilers {
  private static final String ECJ = "org.eclipse.jdt:ecj:3.33.0";
  private static final String KOTLIN = "org.jetbrains.kotlin:kotlin-compiler-embeddable:2.2.21";

  private OtherCompilers() {}

  /** The Eclipse compiler's class files of {@code source} ({@code path}: {@code p/Foo.java}). */
  static Map<String, byte[]> eclipse(Path classpath, String path, String source) {
    Path ecj = resolve(ECJ).get(0);
    return compile(
        path,
        source,
        (src, out) ->
            List.of(
                "-jar",
                ecj.toString(),
                "-17",
                "-nowarn",
                "-cp",
                classpath.toString(),
                "-d",
                out.toString(),
                src.toString()));
  }

  /**
   * Kotlin's class files of {@code source} ({@code path}: {@code Foo.kt}), without the standard
   * library or the null checks that call it, so that they run on the class path they are given.
   */
  static Map<String, byte[]> kotlin(Path classpath, String path, String source) {
    List<Path> compiler = resolve(KOTLIN);
    return compile(
        path,
        source,
        (src, out) ->
            List.of(
                "-cp",
                String.join(":", compiler.stream().map(Path::toString).toList()),
                "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
                "-no-stdlib",
                "-no-reflect",
                "-Xno-param-assertions",
                "-Xno-call-assertions",
                "-Xno-receiver-assertions",
                "-jvm-target",
                "17",
                "-cp",
                classpath.toString(),
                "-d",
                out.toString(),
                src.toString()));
  }

  private interface Command {
    List<String> arguments(Path source, Path out);
  }

  /** The artifact's jar and those it runs with (the nearest version of each wins). */
  private static List<Path> resolve(String coordinates) {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      List<Path> jars = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      ArrayDeque<MavenCoordinates> next = new ArrayDeque<>();
      next.add(MavenCoordinates.parse(coordinates));
      while (!next.isEmpty()) {
        MavenCoordinates c = next.poll();
        if (seen.add(c.groupId() + ":" + c.artifactId())) {
          jars.add(maven.resolve(c));
          next.addAll(maven.directDependencies(c));
        }
      }
      return jars;
    } catch (MavenResolutionException e) {
      throw new IllegalStateException(coordinates + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> compile(String path, String source, Command command) {
    try {
      Path work = Files.createTempDirectory("jsplice-other-compiler");
      try {
        Path src = work.resolve("src").resolve(path);
        Path out = Files.createDirectories(work.resolve("out"));
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        List<String> line = new ArrayList<>();
        line.add(Jdk.current().java().toString());
        line.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        line.addAll(command.arguments(src, out));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
          throw new IllegalStateException(line + " failed:\n" + output);
        }
        return Compiler.readClassFiles(out);
      } finally {
        Compiler.deleteTree(work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
