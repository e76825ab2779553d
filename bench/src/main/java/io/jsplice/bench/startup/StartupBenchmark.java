package io.jsplice.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * What the jsplice agent adds to a real service's start: the benchmark service ({@code
 * bench-service}: Javalin on Jetty 12 with Jackson, logback, HikariCP, H2, Flyway, JDBI, Hibernate
 * Validator, Micrometer and more; about 10,000 classes loaded before it answers) started N times in
 * each configuration, interleaved round by round so that the machine's drift hits all alike:
 *
 * <ol>
 *   <li>no agent;
 *   <li>no agent, the ten fixed classes first on the class path ({@link
 *       ServiceFixes#fixedClasses}): what the service runs once upgraded to the fixed releases and
 *       restarted;
 *   <li>{@code -javaagent} with trusted keys but no service: what the agent costs by itself;
 *   <li>{@code -javaagent} with the service, whose record holds ten updates to classes the service
 *       runs before it answers ({@link ServiceFixes}): each is applied again as its class loads;
 *   <li>the same two with another build's agent ({@code --compare-agent}, e.g. main's), in a state
 *       directory of its own.
 * </ol>
 *
 * For each: the time to the first request's answer and the process's CPU time by then (all threads,
 * ended ones included), as medians, and the paired differences ({@link PairedDifferences}) to the
 * run without the agent and to the run on the fixed classes of the same round, with bootstrap 95%
 * intervals and as a share of the service's start without the agent; with a compared agent, the
 * paired difference between the two agents too. Each answer is checked: with the recorded updates
 * or the fixed classes all ten fixes ran, without them none. Then, from one more start of each
 * configuration with {@code -XX:+PrintCompilation}, how many of the methods compiled by the first
 * answer are the agent's ({@link AgentCompiles}): the compilers' CPU time varies most from start to
 * start, and this says how much of their work is on the agent's code at all.
 *
 * <p><b>The fixed classes are the denominator of what the agent adds with recorded updates.</b> The
 * alternative to applying the updates again at each start is to upgrade the libraries and restart,
 * and that JVM runs the fixed code too: here each fix sets a system property first ({@link
 * FixMarker}), and one of them, logback's {@code Logger.info}, runs all through the start, so the
 * fixed code itself costs the service a few percent that no agent could avoid. The difference to
 * "no agent" mixes that with the agent's own cost; the difference to "no agent, the fixed classes"
 * is the agent's alone. Both are printed, the first because it is what an operator sees.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench-startup -DskipTests}; {@code
 * -Dbench.runs=N} changes the number of rounds, {@code -Dbench.java=/path/to/java} the JVM
 * measured; {@code --compare-agent JAR} adds the configurations with another build's agent (e.g.
 * main's).
 */
public final class StartupBenchmark {
  static final String MAIN = "io.jsplice.bench.service.OrderService";
  static final String FIXED_CLASSES = "no agent, the fixed classes";

  private StartupBenchmark() {}

  /**
   * A way to start the service, the fixes its answers must list, and its runs.
   *
   * @param classpathFirst what goes on the class path before the service's jars
   */
  record Configuration(
      String name,
      List<String> jvmArgs,
      List<Path> classpathFirst,
      List<String> fixes,
      List<ServiceStart> runs) {
    Configuration(String name, List<String> jvmArgs, List<String> fixes) {
      this(name, jvmArgs, List.of(), fixes, new ArrayList<>());
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
    configurations.add(
        new Configuration(
            FIXED_CLASSES,
            List.of(),
            List.of(fixes.fixedClasses()),
            ServiceFixes.properties(),
            new ArrayList<>()));
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
        List<Path> path = new ArrayList<>(c.classpathFirst());
        path.addAll(classpath);
        ServiceStart run = ServiceStart.run(java, c.jvmArgs(), path, MAIN);
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
    System.out.print(table(configurations, !other.equals("none")));
    System.out.print(compiles(configurations, java, classpath, work));
  }

  /**
   * {@link AgentCompiles} of each configuration, from one more start of each with {@code
   * -XX:+PrintCompilation}, after the measured rounds.
   */
  static String compiles(
      List<Configuration> configurations, Path java, List<Path> classpath, Path work)
      throws IOException, InterruptedException {
    int width = "configuration".length();
    for (Configuration c : configurations) {
      width = Math.max(width, c.name().length());
    }
    StringBuilder out = new StringBuilder(AgentCompiles.header(width));
    for (int i = 0; i < configurations.size(); i++) {
      Configuration c = configurations.get(i);
      List<String> jvmArgs = new ArrayList<>(AgentCompiles.JVM_ARGS);
      jvmArgs.addAll(c.jvmArgs());
      List<Path> path = new ArrayList<>(c.classpathFirst());
      path.addAll(classpath);
      Path log = work.resolve("compiles-" + i + ".txt");
      ServiceStart.run(java, jvmArgs, path, MAIN, ProcessBuilder.Redirect.to(log.toFile()));
      out.append(AgentCompiles.of(log).row(c.name(), width));
    }
    return out.toString();
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
            List.of(fixes.javaagent(agent, bareState, false)),
            List.of()));
    configurations.add(
        new Configuration(
            "-javaagent, " + ServiceFixes.TARGETS.size() + " recorded updates" + label,
            List.of(fixes.javaagent(agent, serviceState, true)),
            ServiceFixes.properties()));
  }

  /** One reading of a start, its section's title, and whether it is a CPU time. */
  private record Reading(String title, ToDoubleFunction<ServiceStart> value, boolean cpu) {}

  private static final List<Reading> READINGS =
      List.of(
          new Reading("time to first answer (ms)", ServiceStart::firstRequestMillis, false),
          new Reading("CPU time by then, all threads (ms)", ServiceStart::cpuMillis, true),
          new Reading(
              "of which all but the JIT compiler and GC threads (ms; the less noisy part)",
              s -> s.threads().restMillis(),
              true),
          new Reading(
              "of which the JIT compiler threads (ms)", s -> s.threads().compilerMillis(), true),
          new Reading("of which the GC threads (ms)", s -> s.threads().gcMillis(), true),
          new Reading("methods JIT-compiled by then", s -> (double) s.compiles(), false));

  /**
   * The sections ({@link PairedDifferences}): the time to the first answer, the CPU time by then,
   * that CPU time split into all but the JIT compilers' and the GC's, the compilers', the GC's
   * ({@link ThreadCpu}), and the methods compiled by then; each CPU time's percentages of the whole
   * CPU time without the agent, the others' of their own median without it. The configurations as
   * {@link #main} lists them, the first two "no agent" and "no agent, the fixed classes", and with
   * {@code compared} the last two another build's agent's.
   */
  static String table(List<Configuration> configurations, boolean compared) {
    List<String> names = new ArrayList<>();
    for (Configuration c : configurations) {
      names.add(c.name());
    }
    List<int[]> pairs = PairedDifferences.comparedPairs(configurations.size(), 2, compared);
    Random random = new Random(20261205);
    double cpuReference = percentile(values(configurations.get(0), ServiceStart::cpuMillis), 50);
    StringBuilder out = new StringBuilder();
    for (Reading reading : READINGS) {
      List<double[]> runs = new ArrayList<>();
      for (Configuration c : configurations) {
        runs.add(values(c, reading.value()));
      }
      out.append(
          PairedDifferences.section(
              reading.title(),
              names,
              runs,
              reading.cpu() ? cpuReference : percentile(runs.get(0), 50),
              pairs,
              random));
    }
    out.append(
        "- no agent, - fixed classes: median over rounds of (row - that run) in the same round,"
            + " with a bootstrap 95% interval (rounds resampled), and as a share of the median"
            + " without the agent (CPU times: of the whole CPU time; the issue's target: at most"
            + " 2% of it); the agent's own cost is the one to the fixed classes, which an upgrade"
            + " and restart runs too. The split of the CPU time counts the live compiler and GC"
            + " threads as such and every ended thread in the rest; what the compilers do varies"
            + " from start to start, so the rest differs between configurations with less noise"
            + " than the total, while the total is what the target is on\n");
    return out.toString();
  }

  private static double[] values(Configuration c, ToDoubleFunction<ServiceStart> which) {
    return c.runs().stream().mapToDouble(which).toArray();
  }

  static double percentile(double[] values, double percent) {
    return PairedDifferences.percentile(values, percent);
  }

  /** The 1-minute load average, or "?". */
  static String loadAverage() {
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
