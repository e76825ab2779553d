package io.jsplice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up benchmark's parts work: one run per configuration, not the benchmark itself. */
class StartupBenchmarkSmokeTest {
  @Test
  void service_runsFlawedWithoutTheAgentAndFixedWithItsTenRecordedUpdates() throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "smoke");
    SyntheticService service = SyntheticService.build(work.resolve("service"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String agent = System.getProperty("jsplice.agent.jar");

    StartupRun without =
        StartupRun.run(java, List.of(), service.classpath(), SyntheticService.MAIN);
    StartupRun with =
        StartupRun.run(
            java,
            List.of(
                "-javaagent:"
                    + agent
                    + "=service="
                    + SyntheticService.SERVICE
                    + ",state="
                    + service.stateDir()
                    + ",trust="
                    + service.certificate()),
            service.classpath(),
            SyntheticService.MAIN);

    assertThat(service.fixedChecksum()).isNotEqualTo(service.flawedChecksum());
    assertThat(without.doneLine()).isEqualTo("done " + service.flawedChecksum());
    assertThat(with.doneLine()).isEqualTo("done " + service.fixedChecksum());
    assertThat(with.firstLineMillis()).isPositive().isLessThan(with.doneMillis());
    assertThat(with.cpuMillis()).isPositive();
    assertThat(Files.readString(service.stateDir().resolve("bench.log")))
        .contains("reapplied 10 of 10 updates recorded for service bench");
  }

  @Test
  void table_showsMediansAndRatiosToTheJvmWithoutAgent() {
    StartupBenchmark.Configuration base =
        new StartupBenchmark.Configuration(
            "no agent", List.of(), List.of(new StartupRun(100, 200, "done 1", 300)));
    StartupBenchmark.Configuration slower =
        new StartupBenchmark.Configuration(
            "agent", List.of(), List.of(new StartupRun(150, 300, "done 1", 450)));

    String table = StartupBenchmark.table(List.of(base, slower));

    assertThat(table).contains("1.00x").contains("1.50x").contains("first line of main");
    assertThat(StartupBenchmark.percentile(new double[] {5, 1, 3, 2, 4}, 50)).isEqualTo(3);
  }
}
