package io.jsplice.bench.cycles;

import io.jsplice.bench.apply.BareRedefiner;
import io.jsplice.bench.fuzz.FuzzLibrary;
import io.jsplice.cli.Jsplice;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies and undoes one update over and over in a JVM serving HTTP requests that run the patched
 * code, with clients sending requests without pause: every request must succeed, and what each
 * cycle leaves behind must not add up. Reads, every so many cycles ({@link CycleHost.Stats}): the
 * classes HotSpot counts as loaded (each redefinition parses a new version of every class it
 * switches, which the count keeps), the metaspace in use, the classes defined in the application's
 * packages (its own and what the update adds there) and the agent's own.
 *
 * <p>The update is {@link FuzzLibrary}'s: it changes a loaded class and one not loaded yet, and
 * adds a method, which lives in a companion class. The baseline, in the same kind of host and under
 * the same load, redefines the same two classes twice a cycle with {@link BareRedefiner} and no
 * jsplice: what a redefinition itself costs the JVM.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-cycles -DskipTests} ({@code
 * -Dcycles=1000}, {@code -Dcycles.kinds=jsplice,bare}).
 */
public final class ApplyUndoCycles {
  private static final String OLD = "hello x (v1)";
  private static final String FIXED = "hello x (v2)";
  private static final int CLIENTS = 4;

  /** What a cycle does. */
  enum Kind {
    /** {@code jsplice apply} then {@code jsplice undo}, through the CLI and the agent. */
    JSPLICE,
    /** The baseline: a bare {@code redefineClasses} of the same classes, twice, no jsplice. */
    BARE
  }

  /**
   * What one run saw.
   *
   * @param failedRequests requests that did not get a 200 answer
   * @param failures every failure: the failed requests, and cycles that did not apply, undo or
   *     answer as they should (a failed cycle ends the run)
   */
  record Result(
      Kind kind,
      Jdk jdk,
      Map<Integer, CycleHost.Stats> stats,
      long requests,
      long failedRequests,
      List<String> failures,
      Map<String, Long> answers) {}

  private final FuzzLibrary library;
  private final Path host;
  private final Path update;
  private final Path work;
  private final Path bareAgent;
  private final Path vulnerableClasses;

  ApplyUndoCycles(Path work) throws Exception {
    Compiler.deleteTree(work);
    this.work = Files.createDirectories(work);
    this.library = FuzzLibrary.build(work.resolve("library"));
    this.host = CycleHost.compile(work.resolve("host"), library.vulnerableJar());
    this.update = Files.write(work.resolve("update.jsplice"), library.validUpdate());
    this.bareAgent = BareRedefiner.jar(work.resolve("bare-redefiner.jar"));
    this.vulnerableClasses =
        Jars.writeDirectory(
            Files.createDirectories(work.resolve("vulnerable-classes")),
            library.vulnerableClasses());
  }

  public static void main(String[] args) throws Exception {
    int cycles = Integer.parseInt(option(args, "--cycles", "1000"));
    int every = Integer.parseInt(option(args, "--every", "100"));
    ApplyUndoCycles bench =
        new ApplyUndoCycles(Path.of(option(args, "--work", "target/cycles")).toAbsolutePath());
    System.out.printf(
        Locale.ROOT,
        "%d apply/undo cycles of a 2-class update with a companion, under HTTP load from %d"
            + " clients; %d processors%n",
        cycles,
        CLIENTS,
        Runtime.getRuntime().availableProcessors());
    boolean ok = true;
    List<Kind> kinds = new ArrayList<>();
    for (String kind : option(args, "--kinds", "jsplice,bare").split(",")) {
      kinds.add(Kind.valueOf(kind.strip().toUpperCase(Locale.ROOT)));
    }
    for (String feature : option(args, "--jdks", "17,25").split(",")) {
      Jdk jdk = feature.equals("25") ? Jdk.jdk25() : Jdk.current();
      for (Kind kind : kinds) {
        Result result = bench.run(kind, jdk, cycles, every);
        System.out.print(table(result));
        ok &= result.failures().isEmpty();
      }
    }
    System.exit(ok ? 0 : 1);
  }

  /** Runs {@code cycles} cycles on {@code jdk}, reading after cycle 1 and every {@code every}. */
  Result run(Kind kind, Jdk jdk, int cycles, int every) throws Exception {
    Path home = Files.createTempDirectory(work, "home");
    try (CycleHost target = CycleHost.start(jdk, host, library.vulnerableJar(), home, bareAgent)) {
      Load load = new Load(URI.create("http://127.0.0.1:" + target.port() + "/greet"));
      Map<Integer, CycleHost.Stats> stats = new LinkedHashMap<>();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      load.start(failures);
      try {
        stats.put(0, target.stats());
        String pid = Long.toString(target.pid());
        for (int cycle = 1; cycle <= cycles; cycle++) {
          if (kind == Kind.BARE) {
            target.redefine(vulnerableClasses);
            target.redefine(vulnerableClasses);
            String old = load.probe();
            if (!old.equals(OLD)) {
              failures.add("cycle " + cycle + ": \"" + old + "\" after a bare redefinition");
              break;
            }
            if (cycle == 1 || cycle % every == 0 || cycle == cycles) {
              stats.put(cycle, target.stats());
            }
            continue;
          }
          Run apply =
              jsplice(
                  "apply",
                  pid,
                  update.toString(),
                  "--trust",
                  library.certificate().toString(),
                  "--retries",
                  "20",
                  "--retry-delay",
                  "10");
          String fixed = load.probe();
          Run undo =
              jsplice("undo", pid, FuzzLibrary.UPDATE_ID, "--retries", "20", "--retry-delay", "10");
          String old = load.probe();
          if (apply.code() != 0 || undo.code() != 0 || !fixed.equals(FIXED) || !old.equals(OLD)) {
            failures.add(
                "cycle "
                    + cycle
                    + ": apply "
                    + apply.code()
                    + " "
                    + apply.err().strip()
                    + ", then \""
                    + fixed
                    + "\"; undo "
                    + undo.code()
                    + " "
                    + undo.err().strip()
                    + ", then \""
                    + old
                    + "\"");
            break;
          }
          if (cycle == 1 || cycle % every == 0 || cycle == cycles) {
            stats.put(cycle, target.stats());
          }
        }
      } finally {
        load.stop();
      }
      return new Result(
          kind,
          jdk,
          stats,
          load.requests.get(),
          load.failed.get(),
          List.copyOf(failures),
          load.answers());
    }
  }

  static String table(Result result) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%s, %s%n%8s %14s %18s %16s %14s%n",
            result.kind() == Kind.JSPLICE ? "jsplice apply + undo" : "bare redefineClasses x2",
            result.jdk(),
            "cycle",
            "loaded (JVM)",
            "application's",
            "jsplice's",
            "metaspace MB"));
    result
        .stats()
        .forEach(
            (cycle, s) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "%8d %14d %18d %16d %14.2f%n",
                        cycle,
                        s.loadedClasses(),
                        s.applicationClasses(),
                        s.jspliceClasses(),
                        s.metaspaceBytes() / 1048576.0)));
    out.append(
        String.format(
            Locale.ROOT,
            "%d requests, %d failed; answers %s; %d failures%n",
            result.requests(),
            result.failedRequests(),
            result.answers(),
            result.failures().size()));
    result.failures().stream()
        .limit(10)
        .forEach(f -> out.append("FAILURE ").append(f).append('\n'));
    return out.toString();
  }

  private record Run(int code, String out, String err) {}

  private static Run jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Client threads sending one request after another. */
  private static final class Load {
    private final URI uri;
    private final HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;

    Load(URI uri) {
      this.uri = uri;
    }

    void start(List<String> failures) {
      for (int i = 0; i < CLIENTS; i++) {
        Thread thread =
            new Thread(
                () -> {
                  while (!stopped) {
                    try {
                      String answer = probe();
                      answers.computeIfAbsent(answer, a -> new AtomicLong()).incrementAndGet();
                      requests.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                      failed.incrementAndGet();
                      failures.add("request: " + e);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "load-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    }

    String probe() throws IOException, InterruptedException {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    }

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread thread : threads) {
        thread.join();
      }
    }

    Map<String, Long> answers() {
      Map<String, Long> out = new java.util.TreeMap<>();
      answers.forEach((answer, count) -> out.put(answer, count.get()));
      return out;
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
