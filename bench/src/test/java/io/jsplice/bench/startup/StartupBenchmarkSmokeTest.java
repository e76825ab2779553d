package io.jsplice.bench.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up benchmark's parts work: one start per configuration, not the benchmark itself. */
class StartupBenchmarkSmokeTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  @Test
  void service_runsNoFixWithoutTheAgent_andAllTenWithItsRecordedUpdates() throws Exception {
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

    assertThat(without.fixes()).isEmpty();
    assertThat(with.fixes()).hasSize(10).isEqualTo(ServiceFixes.properties());
    assertThat(with.firstRequestMillis()).isPositive();
    assertThat(with.cpuMillis()).isPositive();
  }

  @Test
  void table_showsMediansAndRatiosToTheJvmWithoutAgent() {
    StartupBenchmark.Configuration base =
        new StartupBenchmark.Configuration(
            "no agent",
            List.of(),
            List.of(),
            List.of(new ServiceStart(100, 300, List.of()), new ServiceStart(200, 600, List.of())));
    StartupBenchmark.Configuration slower =
        new StartupBenchmark.Configuration(
            "agent",
            List.of(),
            List.of(),
            List.of(new ServiceStart(150, 330, List.of()), new ServiceStart(220, 660, List.of())));

    String table = StartupBenchmark.table(List.of(base, slower));

    assertThat(table).contains("1.000x").contains("1.100x").contains("time to first answer");
    assertThat(StartupBenchmark.pairedRatio(slower, base, ServiceStart::firstRequestMillis))
        .isEqualTo(1.1);
    assertThat(StartupBenchmark.percentile(new double[] {5, 1, 3, 2, 4}, 50)).isEqualTo(3);
    assertThat(ServiceStart.fixes("{\"fixes\":[\"fix.b\",\"fix.a\"],\"ok\":true}"))
        .containsExactly("fix.a", "fix.b");
  }
}
