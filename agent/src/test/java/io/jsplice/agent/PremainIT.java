package io.jsplice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.DefaultPaths;
import io.jsplice.protocol.message.ShowRequest;
import io.jsplice.protocol.message.StatusRequest;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent started with {@code -javaagent}, in real JVMs on JDK 17 and JDK 25. */
class PremainIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Path ticker;
  @TempDir Path state;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @BeforeAll
  static void compile() {
    ticker = TestPrograms.compile("Ticker", TestPrograms.TICKER);
  }

  @AfterAll
  static void clean() throws IOException {
    Compiler.deleteTree(ticker);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_addsNothingToTheApplicationsOutput(Jdk jdk) throws IOException {
    try (TargetJvm jvm = startTicker(jdk, "state=" + state)) {
      jvm.awaitStdout("tick 5", WAIT);
      assertThat(ControlRequests.status(jvm.pid()).bool("ok", false)).isTrue();
      jvm.awaitStdout("tick 8", WAIT);

      assertThat(jvm.stdout().lines())
          .allSatisfy(line -> assertThat(line).matches("ticker started|tick \\d+"));
      assertThat(TestPrograms.stderrLines(jvm.stderr())).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_statusSaysPremainAndTheOptionsInForce(Jdk jdk) throws IOException {
    try (TargetJvm jvm =
        startTicker(jdk, "state=" + state + ",service=billing,trust=/etc/ca.pem")) {
      jvm.awaitStdout("tick 1", WAIT);

      JsonObject status = ControlRequests.status(jvm.pid());

      assertThat(status.string("startMode")).isEqualTo("premain");
      assertThat(status.number("pid")).isEqualTo(jvm.pid());
      assertThat(status.number("loads")).isEqualTo(1);
      assertThat(status.string("jvmVersion")).startsWith(Integer.toString(jdk.feature()));
      assertThat(status.string("agentVersion")).isEqualTo(agentVersion());
      assertThat(status.string("service")).isEqualTo("billing");
      assertThat(status.string("stateDir")).isEqualTo(state.toString());
      assertThat(status.strings("trust")).containsExactly("/etc/ca.pem");
      assertThat(status.string("log")).isEqualTo(state.resolve("billing.log").toString());
      assertThat(status.string("controlSocket"))
          .isEqualTo(ControlRequests.socketOf(jvm.pid()).toString());
      assertThat(status.number("agentUptimeMillis")).isNotNegative();
      assertThat(status.strings("ops")).contains("status");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_keepsTheSocketPrivateToTheUser(Jdk jdk) throws IOException {
    try (TargetJvm jvm = startTicker(jdk, "state=" + state)) {
      jvm.awaitStdout("tick 1", WAIT);
      Path socket = ControlRequests.socketOf(jvm.pid());
      ControlRequests.status(jvm.pid());

      assertThat(mode(socket.getParent())).isEqualTo("rwx------");
      assertThat(mode(socket)).isEqualTo("rw-------");
      assertThat(Files.getAttribute(socket, "unix:uid"))
          .isEqualTo(Files.getAttribute(Path.of("/proc/" + jvm.pid()), "unix:uid"));
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_removesTheSocketWhenTheJvmStops(Jdk jdk) throws IOException {
    Path socket;
    try (TargetJvm jvm = startTicker(jdk, "state=" + state)) {
      jvm.awaitStdout("tick 1", WAIT);
      socket = ControlRequests.socketOf(jvm.pid());
      ControlRequests.status(jvm.pid()); // the agent's own socket, not a stale one
      assertThat(socket).exists();
    }
    assertThat(socket).doesNotExist();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_neverHoldsUpTheExitOfTheApplication(Jdk jdk) throws IOException {
    Path quick =
        TestPrograms.compile(
            "Quick",
            "public class Quick { public static void main(String[] a) { System.out.println(\"done\"); } }");
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(TestPrograms.javaagent("state=" + state))
            .classpath(quick)
            .mainClass("Quick")
            .start()) {
      assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(jvm.stdout()).isEqualTo("done\n");
      assertThat(DefaultPaths.socketPath(0, jvm.pid())).doesNotExist();
    } finally {
      Compiler.deleteTree(quick);
    }
  }

  /**
   * What {@code premain} costs the JVM's main thread before the application's {@code main} is
   * mostly classes: the agent with nothing to do loads none of the JDK's process machinery, {@code
   * java.time}'s formatter, which an application that does not use them would not load either.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void premain_withNothingToDo_loadsNoneOfTheJdksHeavyPartsItDoesNotNeed(Jdk jdk)
      throws IOException {
    // The channel opens on a thread of its own: the program ends once the agent's log says it is
    // open (its pid read from /proc/self, not from ProcessHandle, which the log must not show).
    Path quick =
        TestPrograms.compile(
            "Quick",
            """
            import java.nio.file.*;
            public class Quick {
              public static void main(String[] a) throws Exception {
                String pid = Files.readSymbolicLink(Path.of("/proc/self")).toString();
                Path log = Path.of(a[0], "agent-" + pid + ".log");
                while (!Files.exists(log) || !Files.readString(log).contains("control channel open at ")) {
                  Thread.sleep(5);
                }
                System.out.println("done");
              }
            }
            """);
    Path classLoads = state.resolve("class-loads.txt");
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(
                "-Xlog:class+load=info:file=" + classLoads,
                TestPrograms.javaagent("state=" + state))
            .classpath(quick)
            .mainClass("Quick")
            .args(state.toString())
            .start()) {
      assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(jvm.stdout()).isEqualTo("done\n");
    } finally {
      Compiler.deleteTree(quick);
    }
    assertThat(Files.readString(classLoads))
        .contains("io.jsplice.agent.runtime.AgentRuntime ")
        .contains("io.jsplice.agent.control.ControlServer ")
        .doesNotContain("java.lang.ProcessHandleImpl ")
        .doesNotContain("java.time.format.DateTimeFormatter ");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_logsUnknownOptionsAndRunsOn(Jdk jdk) throws IOException {
    try (TargetJvm jvm = startTicker(jdk, "state=" + state + ",colour=blue")) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThat(ControlRequests.status(jvm.pid()).bool("ok", false)).isTrue();
      String log = Files.readString(state.resolve("agent-" + jvm.pid() + ".log"));
      assertThat(log)
          .contains("starting (premain)")
          .contains("WARN  pid " + jvm.pid() + " [main] unknown option 'colour' ignored");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_twiceOnTheCommandLineStartsOneRuntime(Jdk jdk) throws IOException {
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs(
                TestPrograms.javaagent("state=" + state),
                TestPrograms.javaagent("state=" + state + ",service=second"))
            .classpath(ticker)
            .mainClass("Ticker")
            .start()) {
      jvm.awaitStdout("tick 1", WAIT);

      JsonObject status = ControlRequests.status(jvm.pid());

      assertThat(status.number("loads")).isEqualTo(2);
      assertThat(status.string("service")).isEqualTo("second");
      assertThat(TestPrograms.stderrLines(jvm.stderr())).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_logsToStderrOnlyWhenAsked(Jdk jdk) {
    try (TargetJvm jvm = startTicker(jdk, "state=" + state + ",log=stderr")) {
      jvm.awaitStderr("starting (premain)", WAIT);
      jvm.awaitStdout("tick 1", WAIT);

      assertThat(jvm.stdout()).doesNotContain("jsplice");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_withNothingToDo_registersTheAgentMBeanAtTheFirstRequestThatNeedsTheEngine(Jdk jdk)
      throws IOException {
    Path probe = TestPrograms.compile("MBeanProbe", MBEAN_PROBE);
    try (TargetJvm jvm = startMBeanProbe(jdk, probe, "state=" + state, "until-registered")) {
      jvm.awaitStdout("probing", WAIT);
      Path socket = ControlRequests.socketOf(jvm.pid());
      assertThat(ControlRequests.send(socket, new StatusRequest()).object("components").asMap())
          .as("the engine and the monitor (readings, tripwires) wait for a request that needs them")
          .isEqualTo(
              Map.of(
                  "engine", "waiting for the first request that needs it",
                  "monitor", "waiting for the first request that needs it"));

      ControlRequests.send(socket, new ShowRequest());

      jvm.awaitStdout("mbean done", WAIT);
      assertThat(jvm.stdout())
          .contains("Version=" + agentVersion())
          .contains("StartMode=premain")
          .contains("ControlSocket=" + socket)
          .contains("AppliedUpdates=[]");
    } finally {
      Compiler.deleteTree(probe);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_registersTheAgentMBeanOnceTheApplicationStartsJmx(Jdk jdk) throws IOException {
    Path probe = TestPrograms.compile("MBeanProbe", MBEAN_PROBE);
    try (TargetJvm jvm =
        startMBeanProbe(jdk, probe, "state=" + state, "until-registered", "after-a-line")) {
      jvm.awaitStdout("waiting", WAIT);
      // The components start while nothing in the JVM uses JMX: the agent does not start it.
      ControlRequests.send(ControlRequests.socketOf(jvm.pid()), new ShowRequest());

      jvm.sendLine("start JMX");

      jvm.awaitStdout("mbean done", WAIT);
      assertThat(jvm.stdout()).contains("registered=true").contains("StartMode=premain");
    } finally {
      Compiler.deleteTree(probe);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_registersNoMBeanWhenJmxIsOff(Jdk jdk) throws IOException {
    Path probe = TestPrograms.compile("MBeanProbe", MBEAN_PROBE);
    try (TargetJvm jvm = startMBeanProbe(jdk, probe, "state=" + state + ",jmx=false")) {
      jvm.awaitStdout("mbean done", WAIT);

      assertThat(jvm.stdout()).contains("registered=false");
    } finally {
      Compiler.deleteTree(probe);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void premain_aBrokenAgentJarNeverStopsTheApplication(Jdk jdk) throws IOException {
    Path broken = state.resolve("broken-agent.jar");
    try (JarFile good = new JarFile(TestPrograms.agentJar().toFile());
        JarOutputStream out =
            new JarOutputStream(Files.newOutputStream(broken), good.getManifest())) {
      for (JarEntry entry : good.stream().toList()) {
        if (!entry.getName().startsWith("META-INF/")
            && !entry.getName().startsWith("jsplice/runtime/")) {
          out.putNextEntry(new JarEntry(entry.getName()));
          out.write(good.getInputStream(entry).readAllBytes());
        }
      }
    }
    Path probe =
        TestPrograms.compile(
            "Problem",
            """
            public class Problem {
              public static void main(String[] args) {
                System.out.println("problem: " + System.getProperty("jsplice.agent.problem"));
              }
            }
            """);
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs("-javaagent:" + broken + "=state=" + state)
            .classpath(probe)
            .mainClass("Problem")
            .start()) {
      assertThat(jvm.awaitExit(WAIT)).isZero();

      assertThat(jvm.stdout())
          .startsWith(
              "problem: the jsplice agent failed to start: java.lang.IllegalStateException: ")
          .contains("has no jsplice/runtime/; the agent jar is broken");
      assertThat(TestPrograms.stderrLines(jvm.stderr())).isEmpty();
    } finally {
      Compiler.deleteTree(probe);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anotherUser_cannotReachTheSocket(Jdk jdk) throws Exception {
    assumeThat(PeerClient.canRun()).as("runs as root with runuser").isTrue();
    try (TargetJvm jvm = startTicker(jdk, "state=" + state)) {
      jvm.awaitStdout("tick 1", WAIT);

      String output = PeerClient.runAsNobody(ControlRequests.socketOf(jvm.pid()));

      assertThat(output).startsWith("FAILED").contains("Permission denied");
    }
  }

  private static final String MBEAN_PROBE =
      """
      import java.lang.management.ManagementFactory;
      import javax.management.MBeanServer;
      import javax.management.ObjectName;

      public class MBeanProbe {
        public static void main(String[] args) throws Exception {
          boolean untilRegistered = args.length > 0;
          if (args.length > 1) {
            System.out.println("waiting");
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
          }
          MBeanServer server = ManagementFactory.getPlatformMBeanServer();
          ObjectName name = new ObjectName("io.jsplice:type=Agent");
          System.out.println("probing");
          for (int i = 0; (untilRegistered || i < 40) && !server.isRegistered(name); i++) {
            Thread.sleep(50);
          }
          System.out.println("registered=" + server.isRegistered(name));
          if (server.isRegistered(name)) {
            for (String attribute : new String[] {"Version", "StartMode", "ControlSocket"}) {
              System.out.println(attribute + "=" + server.getAttribute(name, attribute));
            }
            System.out.println("AppliedUpdates=" + java.util.Arrays.toString(
                (String[]) server.getAttribute(name, "AppliedUpdates")));
          }
          System.out.println("mbean done");
          Thread.sleep(60_000);
        }
      }
      """;

  private static TargetJvm startMBeanProbe(Jdk jdk, Path probe, String options, String... args) {
    return TargetJvm.on(jdk)
        .jvmArgs(TestPrograms.javaagent(options))
        .classpath(probe)
        .mainClass("MBeanProbe")
        .args(args)
        .start();
  }

  private TargetJvm startTicker(Jdk jdk, String options) {
    return TargetJvm.on(jdk)
        .jvmArgs(TestPrograms.javaagent(options))
        .classpath(ticker)
        .mainClass("Ticker")
        .start();
  }

  private static String agentVersion() throws IOException {
    try (JarFile jar = new JarFile(TestPrograms.agentJar().toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
