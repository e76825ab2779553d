package io.jsplice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles Java sources given as strings into class files, with any JDK: tests need real javac
 * output (lambdas, nestmates, inlined constants) for both JDK 17 and JDK 25 class files.
 */
public final class Compiler {
  private final Jdk jdk;
  private final List<String> options = new ArrayList<>();
  private final List<Path> classpath = new ArrayList<>();

  private Compiler(Jdk jdk) {
    this.jdk = jdk;
  }

  public static Compiler with(Jdk jdk) {
    return new Compiler(jdk);
  }

  /** Adds javac options, e.g. {@code -g}. */
  public Compiler options(String... more) {
    options.addAll(List.of(more));
    return this;
  }

  public Compiler classpath(Path... entries) {
    classpath.addAll(List.of(entries));
    return this;
  }

  /**
   * Compiles {@code sources} (keyed by path such as {@code p/Foo.java}) and returns the class files
   * keyed by internal name ({@code p/Foo}, {@code p/Foo$1}).
   */
  public Map<String, byte[]> compile(Map<String, String> sources) {
    try {
      Path work = Files.createTempDirectory("jsplice-compile");
      try {
        Path src = work.resolve("src");
        Path out = work.resolve("out");
        Files.createDirectories(out);
        List<String> command = new ArrayList<>();
        command.add(jdk.javac().toString());
        command.addAll(options);
        command.addAll(List.of("-d", out.toString(), "-encoding", "UTF-8"));
        if (!classpath.isEmpty()) {
          command.add("-cp");
          command.add(String.join(":", classpath.stream().map(Path::toString).toList()));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
          Path file = src.resolve(source.getKey());
          Files.createDirectories(file.getParent());
          Files.writeString(file, source.getValue());
          command.add(file.toString());
        }
        run(command);
        return readClassFiles(out);
      } finally {
        deleteTree(work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs javac in this JVM when it is the requested JDK (much faster), else as a process. */
  private void run(List<String> command) throws IOException, InterruptedException {
    if (jdk.isCurrent()) {
      java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stream = new java.io.PrintStream(output, true, StandardCharsets.UTF_8);
      int status =
          javax.tools.ToolProvider.getSystemJavaCompiler()
              .run(null, stream, stream, command.subList(1, command.size()).toArray(String[]::new));
      if (status != 0) {
        throw new IllegalStateException(
            "javac (" + jdk + ") failed:\n" + output.toString(StandardCharsets.UTF_8));
      }
      return;
    }
    // javac is short-lived: C1 alone and the serial collector halve its time (same output).
    List<String> fast = new ArrayList<>(command);
    fast.addAll(1, List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    Process process = new ProcessBuilder(fast).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("javac (" + jdk + ") failed:\n" + output);
    }
  }

  /** Compiles one source file whose path follows from its public class name. */
  public Map<String, byte[]> compile(String path, String source) {
    return compile(Map.of(path, source));
  }

  /** The class files below {@code root}, keyed by internal name, as {@link #compile} returns. */
  public static Map<String, byte[]> readClassFiles(Path root) throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString();
        classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
      }
    }
    return classes;
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
