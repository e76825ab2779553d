package io.jsplice.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What the jsplice agent adds to a real service's start: the benchmark service ({@code
 * bench-service}: Javalin on Jetty 12 with Jackson, logback, HikariCP, H2, Flyway, JDBI, Hibernate
 * Validator, Micrometer and more; about 10,000 classes loaded before it answers) started N times in
 * each configuration, interleaved round by round so that the machine's drift hits all alike:
 *
 * <ol>
 *   <li>no agent;
 *   <li>{@code -javaagent} with trusted keys but no service: what the agent costs by itself;
 *   <li>{@code -javaagent} with the service, whose record holds ten updates to classes the service
 *       runs before it answers ({@link ServiceFixes}): each is applied again as its class loads.
 * </ol>
 *
 * For each: the time to the first request's answer and the process's CPU time by then, as medians
 * with their ratio to the JVM without the agent, and the median of the ratios of runs of the same
 * round (less sensitive to drift). Each answer is checked: with the recorded updates all ten fixes
 * ran, without them none.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-startup -DskipTests}; {@code
 * -Dbench.runs=N} changes the number of rounds, {@code -Dbench.java=/path/to/java} the JVM
 * measured; {@code --compare-agent JAR} adds the configurations with another build's agent (e.g.
 * main's).
 */
public final class StartupBenchmark {
  static final String MAIN = "io.jsplice.bench.service.OrderService";

  private StartupBenchmark() {}

  /** A way to start the service, the fixes its answers must list, and its runs. */
  record Configuration(
      String name, List<String> jvmArgs, List<String> fixes, List<ServiceStart> runs) {
    Configuration(String name, List<String> jvmArgs, List<String> fixes) {
      this(name, jvmArgs, fixes, new ArrayList<>());
    }
  }

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(option(args, "--agent", null));
    Path serviceJar = Path.of(option(args, "--service-jar", null));
    Path serviceLib = Path.of(option(args, "--service-lib", null));
    Path java = Path.of(option(args, "--java", System.getProperty("java.home") + "/bin/java"));
    int runs = Integer.parseInt(option(args, "--runs", "20"));
    int warmup = Integer.parseInt(option(args, "--warmup", "1"));
    Path work =
        Files.createTempDirectory(
            Files.createDirectories(Path.of(option(args, "--work", "target"))), "startup");
    ServiceFixes fixes = ServiceFixes.build(serviceLib, work.resolve("fixes"));
    List<Path> classpath = classpath(serviceJar, serviceLib);

    List<Configuration> configurations = new ArrayList<>();
    configurations.add(new Configuration("no agent", List.of(), List.of()));
    addAgent(configurations, "", agent, fixes, fixes.stateDir(), work.resolve("state-no-service"));
    String other = option(args, "--compare-agent", "none");
    if (!other.equals("none")) {
      // A state directory of its own: the reapplication cache is bound to the agent jar, so two
      // agents sharing one would each find the other's cache and never serve from theirs.
      addAgent(
          configurations,
          " (" + Path.of(other).getFileName() + ")",
          Path.of(other),
          fixes,
          copy(fixes.stateDir(), work.resolve("state-other")),
          work.resolve("state-no-service-other"));
    }
    for (int round = -warmup; round < runs; round++) {
      for (Configuration c : configurations) {
        ServiceStart run = ServiceStart.run(java, c.jvmArgs(), classpath, MAIN);
        if (!run.fixes().equals(c.fixes())) {
          throw new IllegalStateException(
              c.name() + ": the service says fixes " + run.fixes() + " ran, expected " + c.fixes());
        }
        if (round >= 0) {
          c.runs().add(run);
        }
      }
    }
    System.out.println(
        "start-up of the benchmark service ("
            + MAIN
            + ", "
            + classpath.size()
            + " jars) to the answer of its first request, on "
            + version(java)
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " processors, load average "
            + loadAverage()
            + "; "
            + runs
            + " rounds after "
            + warmup
            + " warm-up, configurations interleaved in each");
    System.out.print(table(configurations));
  }

  /** The service's jar, then every jar of its lib directory in name order. */
  static List<Path> classpath(Path serviceJar, Path lib) throws IOException {
    List<Path> out = new ArrayList<>(List.of(serviceJar));
    try (var jars = Files.list(lib)) {
      jars.filter(j -> j.getFileName().toString().endsWith(".jar")).sorted().forEach(out::add);
    }
    return out;
  }

  /** Copies directory {@code from} to {@code to}, with the files' owners and permissions. */
  static Path copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Files.copy(
            file,
            to.resolve(from.relativize(file).toString()),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    return to;
  }

  private static void addAgent(
      List<Configuration> configurations,
      String label,
      Path agent,
      ServiceFixes fixes,
      Path serviceState,
      Path bareState)
      throws IOException {
    Files.createDirectories(bareState);
    configurations.add(
        new Configuration(
            "-javaagent, no service" + label,
            List.of(
                "-javaagent:" + agent + "=state=" + bareState + ",trust=" + fixes.certificate()),
            List.of()));
    configurations.add(
        new Configuration(
            "-javaagent, " + ServiceFixes.TARGETS.size() + " recorded updates" + label,
            List.of(
                "-javaagent:"
                    + agent
                    + "=service="
                    + ServiceFixes.SERVICE
                    + ",state="
                    + serviceState
                    + ",trust="
                    + fixes.certificate()),
            ServiceFixes.properties()));
  }

  static String table(List<Configuration> configurations) {
    Configuration base = configurations.get(0);
    int width =
        Math.max(13, configurations.stream().mapToInt(c -> c.name().length()).max().orElse(0));
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s | %-46s | %-32s%n",
            "",
            "time to first answer (ms)",
            "CPU time by then (ms)"));
    out.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s | %8s %8s %8s %8s %8s   | %8s %8s %8s%n",
            "configuration",
            "median",
            "p90",
            "min",
            "ratio",
            "paired",
            "median",
            "ratio",
            "paired"));
    for (Configuration c : configurations) {
      double[] first = values(c, ServiceStart::firstRequestMillis);
      double[] cpu = values(c, ServiceStart::cpuMillis);
      out.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s | %8.0f %8.0f %8.0f %7.3fx %7.3fx   | %8.0f %7.3fx %7.3fx%n",
              c.name(),
              percentile(first, 50),
              percentile(first, 90),
              percentile(first, 0),
              percentile(first, 50)
                  / percentile(values(base, ServiceStart::firstRequestMillis), 50),
              pairedRatio(c, base, ServiceStart::firstRequestMillis),
              percentile(cpu, 50),
              percentile(cpu, 50) / percentile(values(base, ServiceStart::cpuMillis), 50),
              pairedRatio(c, base, ServiceStart::cpuMillis)));
    }
    out.append(
        "ratio: of the medians; paired: the median of each round's ratio to the run without the"
            + " agent in the same round\n");
    return out.toString();
  }

  /** The median over rounds of {@code c}'s run divided by {@code base}'s run of the same round. */
  static double pairedRatio(
      Configuration c, Configuration base, ToDoubleFunction<ServiceStart> which) {
    int rounds = Math.min(c.runs().size(), base.runs().size());
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratios[i] = which.applyAsDouble(c.runs().get(i)) / which.applyAsDouble(base.runs().get(i));
    }
    return percentile(ratios, 50);
  }

  private static double[] values(Configuration c, ToDoubleFunction<ServiceStart> which) {
    return c.runs().stream().mapToDouble(which).toArray();
  }

  static double percentile(double[] values, double percent) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String version(Path java) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String first =
        new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("");
    process.waitFor();
    return first;
  }

  static String option(String[] args, String name, String fallback) {
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
