package io.jsplice.bench;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service the start-up benchmark starts: a library of {@value #CLASSES} classes, each with a
 * flaw (a path check that lets {@code ..} through), a program that uses all of them, and one signed
 * update per class fixing it, built by {@link UpdateCreator} as {@code jsplice create} builds
 * updates and recorded for the service as the agent records what it applies. A JVM of the service
 * started with the agent reapplies all of them, as their classes load.
 *
 * <p>The program prints {@code main} first, then runs the workload and prints {@code done} with a
 * checksum, which tells the flawed library from the fixed one.
 */
final class SyntheticService {
  static final int CLASSES = 10;
  static final String SERVICE = "bench";
  static final String MAIN = "bench.Main";

  private final Path root;
  private final long flawedChecksum;
  private final long fixedChecksum;

  private SyntheticService(Path root, long flawedChecksum, long fixedChecksum) {
    this.root = root;
    this.flawedChecksum = flawedChecksum;
    this.fixedChecksum = fixedChecksum;
  }

  /** Builds the service in {@code root}: jars, keys, {@value #CLASSES} updates, the record. */
  static SyntheticService build(Path root)
      throws IOException, io.jsplice.create.hook.HookCompiler.HookCompileException {
    Map<String, byte[]> flawed = library(false);
    Map<String, byte[]> fixed = library(true);
    Jars.write(root.resolve("lib/library.jar"), flawed);
    Jars.writeDirectory(
        root.resolve("app"),
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(root.resolve("lib/library.jar"))
            .compile("bench/Main.java", program()));
    Path keyStore = root.resolve("keys/bench.p12");
    Files.createDirectories(keyStore.getParent());
    SigningKey key =
        KeyGeneration.generate(
            keyStore, "jsplice-bench".toCharArray(), "CN=jsplice bench", certificate(root));
    ServiceRecordStore record = ServiceRecordStore.at(stateDir(root), SERVICE);
    for (int i = 0; i < CLASSES; i++) {
      String name = "bench/lib/Service" + i;
      UpdatePackage update =
          UpdateCreator.create(
                  new ClassSet("library (flawed)", Map.of(name, flawed.get(name)), List.of()),
                  new ClassSet("library (fixed)", Map.of(name, fixed.get(name)), List.of()),
                  new UpdateCreator.Request(
                      "bench-fix-" + i, "path check of Service" + i, List.of(), List.of()))
              .update();
      Path file = root.resolve("updates/bench-fix-" + i + ".jsplice");
      UpdateFile.write(update, key, file);
      record.commit(
          record.stage(Files.readAllBytes(file)),
          "bench-fix-" + i,
          "bench",
          Instant.now(),
          List.of(name.replace('/', '.')));
    }
    return new SyntheticService(root, checksum(false), checksum(true));
  }

  Path root() {
    return root;
  }

  /** The class path: the program's classes and the flawed library. */
  List<Path> classpath() {
    return List.of(root.resolve("app"), root.resolve("lib/library.jar"));
  }

  Path certificate() {
    return certificate(root);
  }

  Path stateDir() {
    return stateDir(root);
  }

  /** What {@code done} says when the flawed library runs. */
  long flawedChecksum() {
    return flawedChecksum;
  }

  /** What {@code done} says when the fixed code runs. */
  long fixedChecksum() {
    return fixedChecksum;
  }

  private static Path certificate(Path root) {
    return root.resolve("keys/bench.pem");
  }

  private static Path stateDir(Path root) {
    return root.resolve("state");
  }

  private static Map<String, byte[]> library(boolean fixed) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (int i = 0; i < CLASSES; i++) {
      String check =
          fixed
              ? "if (path.contains(\"..\") || path.startsWith(\"/\")) { return -1; }"
              : "if (path.startsWith(\"/\")) { return -1; }";
      sources.put(
          "bench/lib/Service" + i + ".java",
          """
          package bench.lib;
          public final class Service%1$d {
            private static final java.util.Map<String, Integer> CACHE = new java.util.HashMap<>();
            private Service%1$d() {}
            /** The cost of serving path, or -1 if it is refused. */
            public static int serve(String path) {
              %2$s
              return CACHE.computeIfAbsent(path, p -> weigh(p) + %1$d);
            }
            private static int weigh(String path) {
              int weight = 0;
              for (String part : path.split("/")) {
                weight += part.isEmpty() ? 0 : part.length() * 31 + part.charAt(0);
              }
              return weight;
            }
          }
          """
              .formatted(i, check));
    }
    return Compiler.with(Jdk.current()).options("--release", "17").compile(sources);
  }

  private static String program() {
    StringBuilder calls = new StringBuilder();
    for (int i = 0; i < CLASSES; i++) {
      calls.append("      sum += bench.lib.Service").append(i).append(".serve(path);\n");
    }
    return """
        package bench;
        public final class Main {
          public static void main(String[] args) {
            System.out.println("main");
            long sum = 0;
            for (int round = 0; round < %d; round++) {
              String path = (round %% 3 == 0 ? "a/../" : "docs/") + "page" + (round %% 50);
        %s    }
            System.out.println("done " + sum);
            // All threads' CPU time (JIT and GC included): less distorted by a busy machine.
            System.out.println("cpu " + ProcessHandle.current().info().totalCpuDuration()
                .map(java.time.Duration::toMillis).orElse(-1L));
          }
        }
        """
        .formatted(ROUNDS, calls);
  }

  private static final int ROUNDS = 20_000;

  /** The program's checksum, computed here the way it computes it. */
  private static long checksum(boolean fixed) {
    Map<String, Integer> weights = new HashMap<>();
    long sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String path = (round % 3 == 0 ? "a/../" : "docs/") + "page" + (round % 50);
      for (int i = 0; i < CLASSES; i++) {
        if (path.startsWith("/") || (fixed && path.contains(".."))) {
          sum -= 1;
          continue;
        }
        int weight = weights.computeIfAbsent(path, SyntheticService::weigh);
        sum += weight + i;
      }
    }
    return sum;
  }

  private static int weigh(String path) {
    int weight = 0;
    for (String part : path.split("/")) {
      weight += part.isEmpty() ? 0 : part.length() * 31 + part.charAt(0);
    }
    return weight;
  }
}
