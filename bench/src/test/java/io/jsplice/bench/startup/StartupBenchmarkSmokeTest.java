package io.jsplice.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up benchmark's parts work: one start per configuration, not the benchmark itself. */
class StartupBenchmarkSmokeTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @Test
  void service_runsNoFixWithoutTheAgent_andAllTenWithItsRecordedUpdatesOrTheFixedClasses()
      throws Exception {
    Path lib = Path.of(System.getProperty("jsplice.bench.serviceLib"));
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "smoke");
    ServiceFixes fixes = ServiceFixes.build(lib, work.resolve("fixes"));
    List<Path> classpath =
        StartupBenchmark.classpath(Path.of(System.getProperty("jsplice.bench.serviceJar")), lib);
    String agent = System.getProperty("jsplice.agent.jar");

    ServiceStart without = ServiceStart.run(JAVA, List.of(), classpath, StartupBenchmark.MAIN);
    ServiceStart with =
        ServiceStart.run(
            JAVA,
            List.of(
                "-javaagent:"
                    + agent
                    + "=service="
                    + ServiceFixes.SERVICE
                    + ",state="
                    + fixes.stateDir()
                    + ",trust="
                    + fixes.certificate()),
            classpath,
            StartupBenchmark.MAIN);

    List<Path> fixedFirst = new ArrayList<>(List.of(fixes.fixedClasses()));
    fixedFirst.addAll(classpath);
    ServiceStart fixed = ServiceStart.run(JAVA, List.of(), fixedFirst, StartupBenchmark.MAIN);

    assertThat(without.fixes()).isEmpty();
    assertThat(fixed.fixes()).isEqualTo(ServiceFixes.properties());
    assertThat(with.fixes()).hasSize(10).isEqualTo(ServiceFixes.properties());
    assertThat(with.firstRequestMillis()).isPositive();
    assertThat(with.cpuMillis()).isPositive();
    // The split is read just after the total: it cannot hold much more, and its parts are some.
    assertThat(with.threads().totalMillis()).isGreaterThanOrEqualTo(with.cpuMillis() - 20);
    assertThat(with.threads().compilerMillis()).isPositive();
    assertThat(with.threads().gcMillis()).isNotNegative();
    assertThat(with.threads().restMillis()).isPositive();
    assertThat(with.compiles()).isPositive();

    // The agent's transformer runs at each of the service's class loads: compiled by the answer.
    Path log = work.resolve("compiles.txt");
    List<String> printing = new ArrayList<>(AgentCompiles.JVM_ARGS);
    printing.add(
        "-javaagent:"
            + agent
            + "=service="
            + ServiceFixes.SERVICE
            + ",state="
            + fixes.stateDir()
            + ",trust="
            + fixes.certificate());
    ServiceStart printed =
        ServiceStart.run(
            JAVA,
            printing,
            classpath,
            StartupBenchmark.MAIN,
            ProcessBuilder.Redirect.to(log.toFile()));
    assertThat(printed.fixes()).isEqualTo(ServiceFixes.properties());
    AgentCompiles compiles = AgentCompiles.of(log);
    assertThat(compiles.agent()).isPositive();
    assertThat(compiles.instrument()).isPositive();
    assertThat(compiles.all()).isGreaterThan(compiles.agent() + compiles.instrument());
  }

  @Test
  void agentCompiles_countsCompileTasksOfTheAgentAndOfTheJdksAgentSupport() {
    AgentCompiles counted =
        AgentCompiles.of(
            List.of(
                "    1429  623       3       io.jsplice.agent.runtime.TransformerChain::transform"
                    + " (102 bytes)",
                "    1054  447       3       sun.instrument.InstrumentationImpl::transform (73 bytes)",
                "    1060  450 %     4       java.lang.String::hashCode @ 12 (60 bytes)",
                "    1100  623       3       io.jsplice.agent.runtime.TransformerChain::transform"
                    + " (102 bytes)   made not entrant",
                "port 8080"));

    assertThat(counted).isEqualTo(new AgentCompiles(1, 1, 3));
    assertThat(counted.row("agent", 5)).contains("agent |          1 |              1 |        3");
  }

  @Test
  void table_givesPairedDifferencesOfTimeAndCpu_toNoAgentAndToTheFixedClasses() {
    StartupBenchmark.Configuration base = configuration("no agent", 100, 300, 200, 600);
    StartupBenchmark.Configuration fixed = configuration("fixed", 110, 310, 210, 640);
    StartupBenchmark.Configuration agent = configuration("agent", 150, 330, 220, 660);

    String table = StartupBenchmark.table(List.of(base, fixed, agent), false);

    assertThat(table)
        .contains("time to first answer")
        .contains("CPU time by then")
        .contains("all but the JIT compiler and GC threads")
        .contains("methods JIT-compiled by then");
    // time: agent - no agent is 50 and 20 (median of 2: the lower), - fixed 40 and 10; of 100
    assertThat(table)
        .containsPattern(
            "agent +\\| +150\\.0 \\| +\\+20\\.0 \\[ *\\+20\\.0, *\\+50\\.0\\] +\\+20\\.00%")
        .containsPattern("\\+10\\.0 \\[ *\\+10\\.0, *\\+40\\.0\\] +\\+10\\.00%");
    assertThat(StartupBenchmark.percentile(new double[] {5, 1, 3, 2, 4}, 50)).isEqualTo(3);
    assertThat(ServiceStart.fixes("{\"fixes\":[\"fix.b\",\"fix.a\"],\"ok\":true}"))
        .containsExactly("fix.a", "fix.b");
  }

  /** Two runs: (time, CPU) of each. */
  private static StartupBenchmark.Configuration configuration(
      String name, double time1, double cpu1, double time2, double cpu2) {
    return new StartupBenchmark.Configuration(
        name,
        List.of(),
        List.of(),
        List.of(),
        List.of(
            new ServiceStart(time1, cpu1, new ThreadCpu(cpu1, 0, 0), 1, List.of()),
            new ServiceStart(time2, cpu2, new ThreadCpu(cpu2, 0, 0), 2, List.of())));
  }

  @Test
  void comparedPairs_pairEachOfThisAgentsConfigurationsWithTheComparedAgentsSame() {
    assertThat(PairedDifferences.comparedPairs(7, 2, true))
        .containsExactly(new int[] {3, 5}, new int[] {4, 6});
    assertThat(PairedDifferences.comparedPairs(6, 2, true))
        .containsExactly(new int[] {2, 4}, new int[] {3, 5});
    assertThat(PairedDifferences.comparedPairs(6, 2, false)).isEmpty();
  }

  @Test
  void threadCpu_tellsHotSpotsCompilerAndGcThreadsFromTheRest() {
    assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo(ThreadCpu.Kind.COMPILER);
    assertThat(ThreadCpu.kind("C1 CompilerThre")).isEqualTo(ThreadCpu.Kind.COMPILER);
    assertThat(ThreadCpu.kind("GC Thread#1")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo(ThreadCpu.Kind.GC);
    assertThat(ThreadCpu.kind("java")).isEqualTo(ThreadCpu.Kind.OTHER);
    assertThat(ThreadCpu.kind("jsplice-control")).isEqualTo(ThreadCpu.Kind.OTHER);
    assertThat(ThreadCpu.kind("VM Thread")).isEqualTo(ThreadCpu.Kind.OTHER);
    assertThat(new ThreadCpu(100, 30, 10).restMillis()).isEqualTo(60);
  }

  @Test
  void perfCounters_readsThisJvmsCompilations() {
    long pid = ProcessHandle.current().pid();

    assertThat(PerfCounters.read(PerfCounters.fileOf(pid)))
        .hasEntrySatisfying(PerfCounters.COMPILES, compiles -> assertThat(compiles).isPositive());
    assertThat(PerfCounters.read(Path.of("target/no-such-counters-file"))).isEmpty();
  }
}
