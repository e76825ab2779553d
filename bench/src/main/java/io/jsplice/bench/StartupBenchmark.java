package io.jsplice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The start-up cost of the jsplice agent: a JVM of a {@link SyntheticService} started N times in
 * each of three configurations, interleaved run by run so that drift of the machine hits all alike,
 * and a table of the times to the first line of {@code main} and to the end of a small workload,
 * with ratios to the JVM without the agent:
 *
 * <ol>
 *   <li>no agent;
 *   <li>{@code -javaagent} with trusted keys but no service: what the agent costs by itself;
 *   <li>{@code -javaagent} with the service, whose record holds {@value SyntheticService#CLASSES}
 *       updates: premain verifies each (SHA-256, signature) and registers it, and each of the
 *       library's classes is patched as it loads.
 * </ol>
 *
 * Each run of the third configuration is checked to run the fixed code (the workload's checksum),
 * and the agent's own account of the premain reapplication is read from its log.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-startup -DskipTests}; {@code
 * -Dbench.runs=N} changes the number of runs, {@code -Dbench.java=/path/to/java} the JVM measured.
 */
public final class StartupBenchmark {
  private static final Pattern REAPPLIED =
      Pattern.compile("reapplied (\\d+) of (\\d+) updates recorded for service \\S+ in (\\d+) ms");

  private StartupBenchmark() {}

  /** A way to start the JVM, and its runs. */
  record Configuration(String name, List<String> jvmArgs, List<StartupRun> runs) {
    Configuration(String name, List<String> jvmArgs) {
      this(name, jvmArgs, new ArrayList<>());
    }
  }

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(option(args, "--agent", null));
    Path java = Path.of(option(args, "--java", System.getProperty("java.home") + "/bin/java"));
    int runs = Integer.parseInt(option(args, "--runs", "20"));
    int warmup = Integer.parseInt(option(args, "--warmup", "2"));
    Path work = Files.createTempDirectory(Path.of(option(args, "--work", "target")), "startup");
    SyntheticService service = SyntheticService.build(work.resolve("service"));
    Path bareState = Files.createDirectories(work.resolve("state-without-service"));
    List<Configuration> configurations =
        List.of(
            new Configuration("no agent", List.of()),
            new Configuration(
                "-javaagent, no service",
                List.of(
                    "-javaagent:"
                        + agent
                        + "=state="
                        + bareState
                        + ",trust="
                        + service.certificate())),
            new Configuration(
                "-javaagent, " + SyntheticService.CLASSES + " recorded updates",
                List.of(
                    "-javaagent:"
                        + agent
                        + "=service="
                        + SyntheticService.SERVICE
                        + ",state="
                        + service.stateDir()
                        + ",trust="
                        + service.certificate())));
    String other = option(args, "--compare-agent", "");
    if (!other.isEmpty()) {
      // Another build's agent (e.g. main's), alone, to see what a change costs at start-up.
      configurations = new ArrayList<>(configurations);
      configurations.add(
          new Configuration(
              "-javaagent (" + Path.of(other).getFileName() + " given), no service",
              List.of(
                  "-javaagent:"
                      + other
                      + "=state="
                      + bareState
                      + ",trust="
                      + service.certificate())));
    }
    for (int round = -warmup; round < runs; round++) {
      for (Configuration configuration : configurations) {
        StartupRun run =
            StartupRun.run(
                java, configuration.jvmArgs(), service.classpath(), SyntheticService.MAIN);
        if (round >= 0) {
          configuration.runs().add(run);
        }
      }
    }
    check(configurations, service);
    System.out.println(
        "start-up of "
            + SyntheticService.MAIN
            + " ("
            + SyntheticService.CLASSES
            + " library classes, each fixed by one recorded update) on "
            + version(java)
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " processors; "
            + runs
            + " runs per configuration after "
            + warmup
            + " warm-up, interleaved");
    System.out.print(table(configurations));
    System.out.println(reapplication(service.stateDir()));
  }

  /** The flawed library runs without the service's agent, the fixed code with it. */
  private static void check(List<Configuration> configurations, SyntheticService service) {
    for (int i = 0; i < configurations.size(); i++) {
      long expected = i == 2 ? service.fixedChecksum() : service.flawedChecksum();
      for (StartupRun run : configurations.get(i).runs()) {
        if (!run.doneLine().equals("done " + expected)) {
          throw new IllegalStateException(
              configurations.get(i).name()
                  + " printed '"
                  + run.doneLine()
                  + "', expected 'done "
                  + expected
                  + "': the updates were "
                  + (i == 2 ? "not" : "")
                  + " applied");
        }
      }
    }
  }

  static String table(List<Configuration> configurations) {
    Configuration baseline = configurations.get(0);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-34s | %-38s | %-38s | %-17s%n%-34s | %8s %8s %8s %8s   | %8s %8s %8s %8s   | %8s %8s%n",
            "",
            "first line of main (ms)",
            "end of workload (ms)",
            "CPU, all threads",
            "configuration",
            "median",
            "p90",
            "min",
            "ratio",
            "median",
            "p90",
            "min",
            "ratio",
            "median",
            "ratio"));
    double[] baseFirst = millis(baseline, StartupRun::firstLineMillis);
    double[] baseDone = millis(baseline, StartupRun::doneMillis);
    double[] baseCpu = millis(baseline, StartupRun::cpuMillis);
    for (Configuration c : configurations) {
      double[] first = millis(c, StartupRun::firstLineMillis);
      double[] done = millis(c, StartupRun::doneMillis);
      double[] cpu = millis(c, StartupRun::cpuMillis);
      out.append(
          String.format(
              Locale.ROOT,
              "%-34s | %8.1f %8.1f %8.1f %7.2fx   | %8.1f %8.1f %8.1f %7.2fx   | %8.0f %7.2fx%n",
              c.name(),
              percentile(first, 50),
              percentile(first, 90),
              percentile(first, 0),
              percentile(first, 50) / percentile(baseFirst, 50),
              percentile(done, 50),
              percentile(done, 90),
              percentile(done, 0),
              percentile(done, 50) / percentile(baseDone, 50),
              percentile(cpu, 50),
              percentile(cpu, 50) / percentile(baseCpu, 50)));
    }
    return out.toString();
  }

  private static double[] millis(
      Configuration c, java.util.function.ToDoubleFunction<StartupRun> which) {
    return c.runs().stream().mapToDouble(which).toArray();
  }

  static double percentile(double[] values, int percent) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The agent's own account of premain reapplication, from the service's log. */
  private static String reapplication(Path stateDir) throws IOException {
    Path log = stateDir.resolve(SyntheticService.SERVICE + ".log");
    List<Double> millis = new ArrayList<>();
    String counts = "";
    try (Stream<String> lines = Files.lines(log)) {
      for (String line : lines.toList()) {
        Matcher m = REAPPLIED.matcher(line);
        if (m.find()) {
          millis.add(Double.parseDouble(m.group(3)));
          counts = m.group(1) + " of " + m.group(2);
        }
      }
    }
    double[] values = millis.stream().mapToDouble(Double::doubleValue).toArray();
    return String.format(
        Locale.ROOT,
        "reapplication beside the start (agent log, %d starts): %s updates, median %.0f ms, p90"
            + " %.0f ms (check each file's SHA-256 and signature, register; classes of an update"
            + " wait for it as they load)",
        values.length,
        counts,
        percentile(values, 50),
        percentile(values, 90));
  }

  private static String version(Path java) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String first =
        new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("");
    process.waitFor();
    return first;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return fallback;
  }
}
