package io.jsplice.bench.apply;

import io.jsplice.bench.CpuTimes;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What applying an update costs a running JVM, for a 10-class update ({@link TenClassLibrary}):
 *
 * <ul>
 *   <li>the application pause of the switch, the {@code RedefineClasses} safepoint read from the
 *       target's {@code -Xlog:safepoint} ({@link SafepointLog}), for {@code jsplice apply} and, in
 *       the same JVM, for a bare {@code Instrumentation.redefineClasses} of the same classes with
 *       the same post bytes ({@link BareRedefiner}); with about 1,000 classes loaded and with about
 *       20,000 ({@link FillerClasses}), since the switch walks every loaded class;
 *   <li>{@code jsplice apply} end to end, as an operator runs it ({@code bin/jsplice}, a JVM of its
 *       own): cold, when it loads the agent first, and with the agent present; its wall time and
 *       the CPU time of its JVM, each against a bare {@code java -version} run beside it (on a
 *       shared machine the CPU ratio is the steadier one: other work stretches wall time only);
 *   <li>the target's throughput on a workload calling the ten classes, before and after the patch.
 * </ul>
 *
 * <p>Each scenario runs in several fresh target JVMs (a cold apply happens once per JVM), with
 * repeated warm applies, bare redefinitions and undos in each; the table gives medians, because a
 * 2-core machine running the CLI, the target and this harness is noisy.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-apply -DskipTests}; options {@code
 * --jdks 17,25 --jvms 3 --reps 5 --filler 19000 --agent-warmup 0} ({@code -Dbench.jdks} etc. in
 * Maven). {@code --agent-warmup N} runs N unmeasured apply/undo cycles in each JVM before the
 * measured ones, which separates the switch's own cost from that of the agent's code running for
 * the first times.
 */
public final class ApplyBenchmark {
  /** How long the workload runs before each measured switch, so that it is compiled again. */
  private static final long SETTLE_MILLIS = 1500;

  private static final Pattern TIMES = Pattern.compile("\\(checks (\\d+) ms, switch (\\d+) ms\\)");

  private final Path work;
  private final Path jsplice;
  private final int jvms;
  private final int reps;
  private final int agentWarmup;
  private final TenClassLibrary library;
  private final Path host;
  private final Path bare;

  private ApplyBenchmark(Path work, Path jsplice, int jvms, int reps, int agentWarmup)
      throws Exception {
    this.work = work;
    this.jsplice = jsplice;
    this.jvms = jvms;
    this.reps = reps;
    this.agentWarmup = agentWarmup;
    this.library = TenClassLibrary.build(Files.createDirectories(work.resolve("library")));
    this.host = BenchTarget.compile(Files.createDirectories(work.resolve("host")), library);
    this.bare = BareRedefiner.jar(work.resolve("bare-redefiner.jar"));
  }

  public static void main(String[] args) throws Exception {
    List<Jdk> jdks = new ArrayList<>();
    for (String feature : option(args, "--jdks", "17,25").split(",")) {
      jdks.add(feature.equals("25") ? Jdk.jdk25() : Jdk.current());
    }
    int fillerCount = Integer.parseInt(option(args, "--filler", "19000"));
    Path work = Path.of(option(args, "--work", "target/apply-bench")).toAbsolutePath();
    Compiler.deleteTree(work);
    Files.createDirectories(work);
    ApplyBenchmark bench =
        new ApplyBenchmark(
            work,
            Path.of(option(args, "--jsplice", "../bin/jsplice")).toAbsolutePath().normalize(),
            Integer.parseInt(option(args, "--jvms", "3")),
            Integer.parseInt(option(args, "--reps", "5")),
            Integer.parseInt(option(args, "--agent-warmup", "0")));
    Path filler = FillerClasses.jar(work.resolve("filler.jar"), fillerCount);
    System.out.printf(
        Locale.ROOT,
        "jsplice apply vs bare redefineClasses, %d-class update; %d processors; %s;"
            + " %d fresh target JVMs per column, %d warm applies each, after %d unmeasured"
            + " apply/undo cycles%n",
        TenClassLibrary.CLASSES,
        Runtime.getRuntime().availableProcessors(),
        bench.jsplice,
        bench.jvms,
        bench.reps,
        bench.agentWarmup);
    System.out.println("load average at start: " + loadAverage());
    for (Jdk jdk : jdks) {
      Scenario few = bench.measure(jdk, null);
      Scenario many = bench.measure(jdk, filler);
      System.out.println();
      System.out.print(Scenario.table(jdk, few, many));
      System.out.println("load average now: " + loadAverage());
    }
  }

  /** Everything measured with one number of loaded classes on one JDK. */
  private static final class Scenario {
    final Samples loaded = new Samples();
    final Samples barePause = new Samples();
    final Samples applyPause = new Samples();
    final Samples bareOperation = new Samples();
    final Samples applyOperation = new Samples();
    final Samples undoPause = new Samples();
    final Samples coldWall = new Samples();
    final Samples warmWall = new Samples();
    final Samples coldCpu = new Samples();
    final Samples warmCpu = new Samples();
    final Samples reportedSwitch = new Samples();
    final Samples cliStart = new Samples();
    final Samples javaVersion = new Samples();
    final Samples cliStartCpu = new Samples();
    final Samples javaVersionCpu = new Samples();
    final Samples rateBefore = new Samples();
    final Samples rateAfter = new Samples();
    int extraSafepoints;

    static String table(Jdk jdk, Scenario few, Scenario many) {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%s, medians (min-max, n)%n", jdk));
      line(
          out,
          "",
          String.format(Locale.ROOT, "~%,.0f classes loaded", few.loaded.median()),
          String.format(Locale.ROOT, "~%,.0f classes loaded", many.loaded.median()));
      row(out, "RedefineClasses pause, bare redefine (ms)", few, many, s -> s.barePause, 2);
      row(out, "RedefineClasses pause, jsplice apply (ms)", few, many, s -> s.applyPause, 2);
      ratio(out, "  jsplice apply / bare", few, many, s -> s.applyPause, s -> s.barePause);
      row(out, "  at safepoint only, bare (ms)", few, many, s -> s.bareOperation, 2);
      row(out, "  at safepoint only, jsplice apply (ms)", few, many, s -> s.applyOperation, 2);
      ratio(out, "  jsplice / bare", few, many, s -> s.applyOperation, s -> s.bareOperation);
      row(out, "RedefineClasses pause, jsplice undo (ms)", few, many, s -> s.undoPause, 2);
      row(out, "switch, as the agent reports it (ms)", few, many, s -> s.reportedSwitch, 0);
      commandRows(
          out,
          "wall time",
          few,
          many,
          List.of(s -> s.coldWall, s -> s.warmWall, s -> s.cliStart, s -> s.javaVersion));
      commandRows(
          out,
          "CPU time",
          few,
          many,
          List.of(s -> s.coldCpu, s -> s.warmCpu, s -> s.cliStartCpu, s -> s.javaVersionCpu));
      row(out, "workload before the patch (M calls/s)", few, many, s -> s.rateBefore, 1);
      row(out, "workload after the patch (M calls/s)", few, many, s -> s.rateAfter, 1);
      ratio(out, "  after / before", few, many, s -> s.rateAfter, s -> s.rateBefore);
      if (few.extraSafepoints + many.extraSafepoints > 0) {
        out.append(
            "  note: "
                + (few.extraSafepoints + many.extraSafepoints)
                + " operations logged more than one RedefineClasses safepoint (all counted)\n");
      }
      return out.toString();
    }

    /**
     * One measure of the commands, each against a bare {@code java -version} run beside them.
     *
     * @param measures of apply cold, apply with the agent present, {@code bin/jsplice --version}
     *     and {@code java -version}, in this order
     */
    private static void commandRows(
        StringBuilder out,
        String measure,
        Scenario few,
        Scenario many,
        List<Function<Scenario, Samples>> measures) {
      String[] names = {
        "jsplice apply, cold", "jsplice apply, agent present", "bin/jsplice --version"
      };
      for (int i = 0; i < names.length; i++) {
        row(out, measure + ", " + names[i] + " (ms)", few, many, measures.get(i), 0);
      }
      row(out, measure + ", bare java -version (ms)", few, many, measures.get(3), 0);
      for (int i = 0; i < names.length; i++) {
        ratio(
            out, "  " + names[i] + " / java -version", few, many, measures.get(i), measures.get(3));
      }
    }

    private static void row(
        StringBuilder out,
        String name,
        Scenario few,
        Scenario many,
        Function<Scenario, Samples> samples,
        int decimals) {
      line(
          out, name, samples.apply(few).describe(decimals), samples.apply(many).describe(decimals));
    }

    private static void ratio(
        StringBuilder out,
        String name,
        Scenario few,
        Scenario many,
        Function<Scenario, Samples> numerator,
        Function<Scenario, Samples> denominator) {
      line(
          out,
          name,
          String.format(
              Locale.ROOT,
              "%.2fx",
              numerator.apply(few).median() / denominator.apply(few).median()),
          String.format(
              Locale.ROOT,
              "%.2fx",
              numerator.apply(many).median() / denominator.apply(many).median()));
    }

    private static void line(StringBuilder out, String name, String few, String many) {
      out.append(String.format(Locale.ROOT, "%-46s %-30s %-30s%n", name, few, many));
    }
  }

  private Scenario measure(Jdk jdk, Path filler) throws Exception {
    Scenario s = new Scenario();
    for (int j = 0; j < jvms; j++) {
      String label = jdk.feature() + "-" + (filler == null ? "few" : "many") + "-" + j;
      SafepointLog safepoints = new SafepointLog(work.resolve("safepoint-" + label + ".log"));
      Path home = Files.createDirectories(work.resolve("home-" + label));
      List<String> jvmArgs =
          List.of(
              safepoints.jvmOption(),
              "-javaagent:" + bare,
              "-Duser.home=" + home,
              "-Xms1g",
              "-Xmx1g");
      try (BenchTarget target = BenchTarget.start(jdk, host, library, filler, jvmArgs)) {
        try {
          target.rate(2000); // warm-up
          rates(target, s.rateBefore);

          apply(target, s, s.coldWall, s.coldCpu);
          pause(safepoints, s.applyPause, s.applyOperation, s);
          s.loaded.add(target.loadedClasses());
          target.rate(2000); // the patched code is compiled again
          rates(target, s.rateAfter);
          undo(target);
          pause(safepoints, s.undoPause, new Samples(), s);
          // --agent-warmup: the agent's own code compiled, as after many applies in one JVM.
          for (int w = 0; w < agentWarmup; w++) {
            Scenario unmeasured = new Scenario();
            apply(target, unmeasured, unmeasured.warmWall, unmeasured.warmCpu);
            safepoints.awaitRedefinitions(Duration.ofSeconds(30));
            undo(target);
            safepoints.awaitRedefinitions(Duration.ofSeconds(30));
          }

          // Each switch deoptimizes the compiled workload; every measured one starts from a
          // recompiled workload, or the one right after another would flush less and look cheaper.
          for (int r = 0; r < reps; r++) {
            target.rate(SETTLE_MILLIS);
            target.redefine(library.postClasses());
            pause(safepoints, s.barePause, s.bareOperation, s);
            target.rate(SETTLE_MILLIS);
            target.redefine(library.preClasses());
            pause(safepoints, s.barePause, s.bareOperation, s);
            target.rate(SETTLE_MILLIS);
            apply(target, s, s.warmWall, s.warmCpu);
            pause(safepoints, s.applyPause, s.applyOperation, s);
            target.rate(SETTLE_MILLIS);
            undo(target);
            pause(safepoints, s.undoPause, new Samples(), s);
            Run version = run("--version");
            s.cliStart.add(version.wallMillis());
            s.cliStartCpu.add(version.cpuMillis());
            Run bare = javaVersion();
            s.javaVersion.add(bare.wallMillis());
            s.javaVersionCpu.add(bare.cpuMillis());
          }
        } catch (RuntimeException | IOException e) {
          throw new IllegalStateException(e.getMessage() + "\n" + target.outputs(), e);
        }
      }
    }
    return s;
  }

  private static void rates(BenchTarget target, Samples into) {
    for (int i = 0; i < 5; i++) {
      into.add(target.rate(1000) / 1e6);
    }
  }

  private static void pause(SafepointLog log, Samples total, Samples operation, Scenario s)
      throws IOException, InterruptedException {
    List<SafepointLog.Safepoint> found = log.awaitRedefinitions(Duration.ofSeconds(30));
    if (found.size() > 1) {
      s.extraSafepoints++;
    }
    total.add(found.stream().mapToDouble(SafepointLog.Safepoint::totalMillis).sum());
    operation.add(found.stream().mapToDouble(SafepointLog.Safepoint::atSafepointMillis).sum());
  }

  /**
   * Runs {@code jsplice apply}, adding its wall and CPU time (ms) to {@code wall} and {@code cpu}.
   */
  private void apply(BenchTarget target, Scenario s, Samples wall, Samples cpu)
      throws IOException, InterruptedException {
    Run apply =
        run(
            "apply",
            Long.toString(target.pid()),
            library.update().toString(),
            "--trust",
            library.certificate().toString(),
            "--retries",
            "20",
            "--retry-delay",
            "10");
    wall.add(apply.wallMillis());
    cpu.add(apply.cpuMillis());
    Matcher times = TIMES.matcher(apply.output());
    if (times.find()) {
      s.reportedSwitch.add(Double.parseDouble(times.group(2)));
    }
  }

  private void undo(BenchTarget target) throws IOException, InterruptedException {
    run(
        "undo",
        Long.toString(target.pid()),
        TenClassLibrary.UPDATE_ID,
        "--retries",
        "20",
        "--retry-delay",
        "10");
  }

  /**
   * One command that ended: what it printed, its wall time and the CPU time of its process (and of
   * the processes it waited for), in milliseconds.
   */
  private record Run(String output, double wallMillis, double cpuMillis) {}

  /** Runs {@code bin/jsplice} with the JDK running this harness; fails unless it succeeds. */
  private Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jsplice.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return timed(builder);
  }

  /**
   * A bare {@code java -version} of the JDK the CLI runs on: what any command on that JVM costs at
   * least, measured beside the applies it is compared with.
   */
  private static Run javaVersion() throws IOException, InterruptedException {
    return timed(
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"));
  }

  /**
   * Runs {@code builder}'s command to its end; fails unless it succeeds. Its CPU time is what this
   * process's ended children gained meanwhile: the harness runs one command at a time, and its
   * target JVMs end only after the measurements.
   */
  private static Run timed(ProcessBuilder builder) throws IOException, InterruptedException {
    double cpuBefore = CpuTimes.endedChildren();
    long start = System.nanoTime();
    Process process = builder.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", builder.command()) + " failed:\n" + out);
    }
    double wall = (System.nanoTime() - start) / 1e6;
    return new Run(out, wall, (CpuTimes.endedChildren() - cpuBefore) * 1000);
  }

  /** The machine's load, which other work on a shared machine adds to every number. */
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
