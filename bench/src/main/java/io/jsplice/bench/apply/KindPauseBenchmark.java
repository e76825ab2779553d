package io.jsplice.bench.apply;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.StructuralKinds;
import io.jsplice.testkit.StructuralKinds.Kind;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The pause each kind of change costs when applied and undone ({@link StructuralKinds}): the {@code
 * RedefineClasses} safepoint read from the target's {@code -Xlog:safepoint}, next to a method body
 * change (what a stock JVM redefines by itself) measured in the same run. Each kind runs in its own
 * target JVM: an apply, then {@code --reps} undo and apply cycles, each checked by the program's
 * answer, so that a pause is only counted for a fix that is in force.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-apply -DskipTests} (with {@link
 * ApplyBenchmark}); options {@code --jdks 17,25 --reps 5}.
 */
public final class KindPauseBenchmark {
  private static final Duration WAIT = Duration.ofMinutes(2);

  private final Path work;
  private final Path jsplice;
  private final int reps;
  private final Path key;
  private final Path certificate;

  private KindPauseBenchmark(Path work, Path jsplice, int reps) throws Exception {
    this.work = work;
    this.jsplice = jsplice;
    this.reps = reps;
    run("keygen", work.resolve("kinds").toString());
    this.key = work.resolve("kinds.p12");
    this.certificate = work.resolve("kinds.pem");
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(option(args, "--work", "target/kind-pause")).toAbsolutePath();
    Compiler.deleteTree(work);
    Files.createDirectories(work);
    KindPauseBenchmark bench =
        new KindPauseBenchmark(
            work,
            Path.of(option(args, "--jsplice", "../bin/jsplice")).toAbsolutePath().normalize(),
            Integer.parseInt(option(args, "--reps", "5")));
    System.out.printf(
        Locale.ROOT,
        "RedefineClasses pause per kind of change; %d processors; 1 target JVM per kind, %d"
            + " applies and undos each; load average at start: %s%n",
        Runtime.getRuntime().availableProcessors(),
        bench.reps + 1,
        loadAverage());
    for (String feature : option(args, "--jdks", "17,25").split(",")) {
      Jdk jdk = feature.equals("25") ? Jdk.jdk25() : Jdk.current();
      List<Samples[]> rows = new ArrayList<>();
      for (Kind kind : StructuralKinds.ALL) {
        rows.add(bench.measure(kind, jdk));
      }
      System.out.println();
      System.out.print(table(jdk, rows));
      System.out.println("load average now: " + loadAverage());
    }
  }

  static String table(Jdk jdk, List<Samples[]> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s, RedefineClasses pause, median (min-max, n)%n", jdk));
    out.append(
        String.format(
            Locale.ROOT,
            "| %-46s | %-26s | %-9s | %-26s |%n",
            "kind",
            "apply (ms)",
            "/ body",
            "undo (ms)"));
    double reference = rows.get(0)[0].median();
    for (int i = 0; i < rows.size(); i++) {
      Samples[] r = rows.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "| %-46s | %-26s | %-9s | %-26s |%n",
              StructuralKinds.ALL.get(i).name(),
              r[0].describe(2),
              String.format(Locale.ROOT, "%.2fx", r[0].median() / reference),
              r[1].describe(2)));
    }
    return out.toString();
  }

  /** Apply and undo pauses of one kind in a fresh target JVM: {apply, undo}. */
  private Samples[] measure(Kind kind, Jdk jdk) throws Exception {
    Path dir = Files.createDirectories(work.resolve(kind.id() + "-" + jdk.feature()));
    StructuralKinds.Built built = kind.build(dir);
    Path v1 = built.v1();
    Path v2 = built.v2();
    Path app = built.app();
    String id = "kind-" + kind.id();
    Path update = dir.resolve(id + ".jsplice");
    run(
        "create",
        "--from",
        v1.toString(),
        "--to",
        v2.toString(),
        "--id",
        id,
        "--key",
        key.toString(),
        "-o",
        update.toString());
    SafepointLog safepoints = new SafepointLog(dir.resolve("safepoint.log"));
    Samples apply = new Samples();
    Samples undo = new Samples();
    try (TargetJvm target =
        TargetJvm.on(jdk)
            .jvmArgs(safepoints.jvmOption())
            .classpath(app, v1)
            .mainClass("App")
            .start()) {
      target.awaitStdout("ready", WAIT);
      Probe probe = new Probe(target);
      probe.expect(kind.before());
      String pid = Long.toString(target.pid());
      run("apply", pid, update.toString(), "--trust", certificate.toString());
      apply.add(pause(safepoints));
      probe.expect(kind.after());
      for (int r = 0; r < reps; r++) {
        run("undo", pid, id);
        undo.add(pause(safepoints));
        probe.expect(kind.before());
        run("apply", pid, update.toString());
        apply.add(pause(safepoints));
        probe.expect(kind.after());
      }
    }
    return new Samples[] {apply, undo};
  }

  /** Asks the program what the library does now; fails unless it answers {@code expected}. */
  private static final class Probe {
    private final TargetJvm target;
    private int asked;

    Probe(TargetJvm target) {
      this.target = target;
    }

    void expect(String expected) throws InterruptedException {
      asked++;
      target.sendLine("probe");
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> results = List.of();
      while (results.size() < asked && System.nanoTime() < deadline) {
        Thread.sleep(20);
        results = target.stdout().lines().filter(l -> l.startsWith("RESULT ")).toList();
      }
      if (results.size() < asked || !results.get(asked - 1).equals("RESULT " + expected)) {
        throw new IllegalStateException(
            "probe " + asked + " did not answer " + expected + ":\n" + target.outputs());
      }
    }
  }

  private static double pause(SafepointLog log) throws IOException, InterruptedException {
    return log.awaitRedefinitions(WAIT).stream()
        .mapToDouble(SafepointLog.Safepoint::totalMillis)
        .sum();
  }

  /** Runs {@code bin/jsplice} with the JDK running this harness; fails unless it succeeds. */
  private String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jsplice.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
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
