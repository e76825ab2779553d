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
      // Whole clock ticks, each of user and system time rounded down: at most 20 ms under.
      assertThat(reading[3]).as("%s", jvmArgs).isGreaterThan(reading[2] - 20.0);
    }
  }

  @Test
  void table_givesEachConfigurationsPairedDifferences_toNoAgentAndToTheFixedClasses() {
    List<PremainCpuBenchmark.Configuration> configurations = new ArrayList<>();
    for (String name :
        List.of("no agent", "fixed", "no-op agent", "a", "b", "a (old)", "b (old)")) {
      configurations.add(new PremainCpuBenchmark.Configuration(name, List.of()));
    }
    for (int round = 0; round < 5; round++) {
      for (int c = 0; c < configurations.size(); c++) {
        double v = 100 + 10 * c + round;
        configurations.get(c).runs().add(new double[] {v, v + 1, v + 2, v + 3});
      }
    }

    String table = PremainCpuBenchmark.table(configurations, 1000, true);

    assertThat(table)
        .contains("main thread before main")
        .contains("whole process by then")
        // b: 40 over no agent, 30 over the fixed classes, 20 under b (old); each 1 of 1000 = 0.1%
        .containsPattern(
            "\\nb +\\| +142\\.0 \\| +\\+40\\.0 \\[ *\\+40\\.0, *\\+40\\.0\\] +\\+4\\.00% \\|"
                + " +\\+30\\.0 \\[ *\\+30\\.0, *\\+30\\.0\\] +\\+3\\.00%")
        .contains("b - b (old):   -20.0")
        .containsPattern("\\nfixed +\\| +112\\.0 \\| +\\+10\\.0 \\[[^|]*\\| +\\n");
  }

  @Test
  void noOpAgent_isAClassOnlyItsJarHolds_asAnAgentsAre() throws Exception {
    Path jar =
        NoOpAgent.write(
            Files.createTempDirectory(Files.createDirectories(Path.of("target")), "no-op")
                .resolve("no-op.jar"));

    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo(NoOpAgent.PREMAIN_CLASS);
      assertThat(file.getEntry(NoOpAgent.PREMAIN_CLASS.replace('.', '/') + ".class")).isNotNull();
    }
    assertThat(
            getClass()
                .getClassLoader()
                .getResource(NoOpAgent.PREMAIN_CLASS.replace('.', '/') + ".class"))
        .as("not on the probe's class path, where the JVM would find it before any jar")
        .isNull();
    try (java.net.URLClassLoader loader =
        new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
      assertThat(
              loader
                  .loadClass(NoOpAgent.PREMAIN_CLASS)
                  .getMethod("premain", String.class, java.lang.instrument.Instrumentation.class))
          .isNotNull();
    }
  }

  @Test
  void parse_readsTheProbesNanoseconds() {
    assertThat(
            PremainCpuBenchmark.parse(
                "before-main 120000000\nafter-loads 150500000\nall-threads 300000000\n"
                    + "process 310000000\n"))
        .containsExactly(120.0, 150.5, 300.0, 310.0);
  }

  @Test
  void processTicks_addsUserAndSystemTime_whateverTheCommandsName() {
    assertThat(
            MainThreadProbe.processTicks(
                "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 37 5 0 0 20 0 9 0 1"))
        .isEqualTo(42);
  }
}
