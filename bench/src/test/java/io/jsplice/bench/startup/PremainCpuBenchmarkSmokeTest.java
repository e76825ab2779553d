package io.jsplice.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main-thread CPU benchmark's parts work: one probe per configuration, not the benchmark. */
class PremainCpuBenchmarkSmokeTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @Test
  void probe_readsItsThreadBeforeMainAndAfterTheLoads_withAndWithoutAgents() throws Exception {
    Path lib = Path.of(System.getProperty("jsplice.bench.serviceLib"));
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "smoke");
    List<Path> classpath =
        new ArrayList<>(
            StartupBenchmark.classpath(
                Path.of(System.getProperty("jsplice.bench.serviceJar")), lib));
    classpath.add(
        0,
        Path.of(MainThreadProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    Path noOp = NoOpAgent.write(work.resolve("no-op.jar"));
    List<String> loads = List.of(ServiceFixes.TARGETS.get(0).className());

    for (List<String> jvmArgs :
        List.of(
            List.<String>of(),
            List.of("-javaagent:" + noOp),
            List.of("-javaagent:" + System.getProperty("jsplice.agent.jar") + "=state=" + work))) {
      double[] reading = PremainCpuBenchmark.probe(JAVA, jvmArgs, classpath, loads);

      assertThat(reading[0]).as("%s", jvmArgs).isPositive();
      assertThat(reading[1]).as("%s", jvmArgs).isGreaterThanOrEqualTo(reading[0]);
      assertThat(reading[2]).as("%s", jvmArgs).isGreaterThanOrEqualTo(reading[1]);
    }
  }

  @Test
  void table_givesEachConfigurationsPairedDifferenceWithItsInterval() {
    List<PremainCpuBenchmark.Configuration> configurations = new ArrayList<>();
    for (String name : List.of("no agent", "no-op agent", "a", "b", "a (old)", "b (old)")) {
      configurations.add(new PremainCpuBenchmark.Configuration(name, List.of()));
    }
    for (int round = 0; round < 5; round++) {
      for (int c = 0; c < configurations.size(); c++) {
        double v = 100 + 10 * c + round;
        configurations.get(c).runs().add(new double[] {v, v + 1, v + 2});
      }
    }

    String table = PremainCpuBenchmark.table(configurations, 6000, 2);

    assertThat(table)
        .contains("main thread before main")
        .contains("all threads by then")
        .contains("b - compared")
        .containsPattern("no-op agent +\\| +112\\.0 \\| +10\\.0 \\[ +10\\.0, +10\\.0\\] \\|");
  }

  @Test
  void parse_readsTheProbesNanoseconds() {
    assertThat(
            PremainCpuBenchmark.parse(
                "before-main 120000000\nafter-loads 150500000\nall-threads 300000000\n"))
        .containsExactly(120.0, 150.5, 300.0);
  }
}
