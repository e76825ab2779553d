package io.jsplice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.control.FailureCause;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.message.InventoryReply;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finding, loading and calling the agent in running JVMs on JDK 17 and JDK 25. */
class AgentsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path state;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private AgentArguments state(String more) {
    return AgentArguments.parse("state=" + state + (more.isEmpty() ? "" : "," + more));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_startsTheAgentInARunningJvm(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 2", WAIT);

      long start = System.nanoTime();
      AgentClient client = Targets.agents().load(jvm.pid(), state(""));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("attach + load + first status on " + jdk + ": " + millis + " ms");

      StatusReply status = client.status();
      assertThat(status.startMode()).isEqualTo("agentmain");
      assertThat(status.pid()).isEqualTo(jvm.pid());
      assertThat(status.loads()).isEqualTo(1);
      assertThat(status.stateDir()).isEqualTo(state.toString());
      // The components start once the control channel is open, while the client sends its first
      // request; a request for an op they serve waits for them.
      client.show();
      assertThat(client.status().ops())
          .contains("apply", "inventory", "show", "status", "undo", "verify");
      jvm.awaitStdout("tick 20", WAIT);
      assertThat(jvm.stdout().lines())
          .allSatisfy(l -> assertThat(l).matches("ticker started|tick \\d+"));
      assertThat(Targets.unexpectedStderr(jvm.stderr())).isEmpty();
    }
  }

  /**
   * A cold apply sends its request as the first call, without a status call before it: the request
   * waits for the freshly loaded agent as the status call did, and is answered.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void loadWithoutProbe_leavesTheFirstCallToTheCaller_andTheAgentAnswersIt(Jdk jdk)
      throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);

      AgentClient client = Targets.agents().loadWithoutProbe(jvm.pid(), state(""));

      assertThat(client.pid()).isEqualTo(jvm.pid());
      assertThat(client.show().updates()).isEmpty(); // an op the components serve, first
      StatusReply status = client.status();
      assertThat(status.startMode()).isEqualTo("agentmain");
      assertThat(status.loads()).isEqualTo(1);
    }
  }

  /**
   * The platform MBean server's start costs a fresh JVM about a quarter of a second of CPU, which
   * an attached agent spent beside its first apply: its MBean now waits for something to start JMX.
   * Read from the JVM's heap: an MBean server is there iff one started.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void load_startsNoMBeanServer_inAJvmThatDoesNotUseJmx(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);
      AgentClient client = Targets.agents().load(jvm.pid(), state(""));
      client.show(); // the components, the engine among them, have started and served

      Path jcmd = jdk.home().resolve("bin").resolve("jcmd");
      Process histogram =
          new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String classes = new String(histogram.getInputStream().readAllBytes());
      assertThat(histogram.waitFor(2, TimeUnit.MINUTES)).isTrue();

      assertThat(classes).as("jcmd's answer").contains("java.lang.String ");
      assertThat(classes).doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_twiceKeepsOneRuntimeThatTakesTheNewOptions(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);
      StatusReply first = Targets.agents().load(jvm.pid(), state("")).status();

      StatusReply second = Targets.agents().load(jvm.pid(), state("service=billing")).status();

      assertThat(second.loads()).isEqualTo(2);
      assertThat(second.agentStartedAt()).isEqualTo(first.agentStartedAt());
      assertThat(second.service()).isEqualTo("billing");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_intoAJvmStartedWithTheAgentHandsTheRunningAgentTheOptions(Jdk jdk) throws Exception {
    try (TargetJvm jvm =
        Targets.ticker(jdk, "-javaagent:" + Targets.agentJar() + "=state=" + state)) {
      jvm.awaitStdout("tick 1", WAIT);

      StatusReply status =
          Targets.agents().load(jvm.pid(), AgentArguments.parse("trust=/etc/ca.pem")).status();

      assertThat(status.startMode()).isEqualTo("premain");
      assertThat(status.loads()).isEqualTo(2);
      assertThat(status.trust()).containsExactly("/etc/ca.pem");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void connectOrLoad_loadsOnlyWhenNoAgentAnswers(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);
      assertThat(Targets.agents().find(jvm.pid())).isEmpty();

      Targets.agents().connectOrLoad(jvm.pid(), state(""));
      StatusReply status =
          Targets.agents().connectOrLoad(jvm.pid(), state("service=ignored")).status();

      assertThat(status.loads()).isEqualTo(1);
      assertThat(status.service()).isNull();
      assertThat(Targets.agents().find(jvm.pid())).isPresent();
    }
  }

  @Test
  void inventory_namesTheLibrariesTheJvmLoadedWithTheirJars() throws Exception {
    // A real jar from Maven Central, with its pom.properties, loaded by the target.
    Path assertj =
        Path.of(
            org.assertj.core.api.Assertions.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    try (TargetJvm jvm =
        TargetJvm.on(Jdk.current())
            .classpath(Targets.tickerClasses(), assertj)
            .mainClass("Ticker")
            .args("org.assertj.core.api.Assertions")
            .start()) {
      jvm.awaitStdout("tick 1", WAIT);
      AgentClient client = Targets.agents().load(jvm.pid(), state(""));

      InventoryReply inventory = client.inventory();

      assertThat(inventory.libraries())
          .singleElement()
          .satisfies(
              library -> {
                assertThat(library.coordinates()).startsWith("org.assertj:assertj-core:3.");
                assertThat(library.jar()).isEqualTo(assertj.toString());
                assertThat(library.kind()).isEqualTo("jar");
                assertThat(library.evidence()).isEqualTo(InventoryReply.Evidence.POM_PROPERTIES);
                assertThat(library.loadedClasses()).isPositive();
              });
      assertThat(inventory.applied()).isEmpty();
      assertThat(inventory.loadedClasses()).isGreaterThan(library(inventory));
    }
  }

  private static int library(InventoryReply inventory) {
    return inventory.libraries().get(0).loadedClasses();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_failsWithAdviceWhenTheJvmRefusesDynamicAgents(Jdk jdk) {
    try (TargetJvm jvm = Targets.ticker(jdk, "-XX:-EnableDynamicAgentLoading")) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThatThrownBy(() -> Targets.agents().load(jvm.pid(), state("")))
          .isInstanceOf(AgentUnavailableException.class)
          .hasMessageContaining("JVM " + jvm.pid() + " refused to load the agent")
          .hasMessageContaining("restart it with -javaagent:" + Targets.agentJar());
      assertThat(jvm.isAlive()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_failsWithAdviceWhenAttachIsDisabled(Jdk jdk) {
    try (TargetJvm jvm = Targets.ticker(jdk, "-XX:+DisableAttachMechanism")) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThatThrownBy(() -> Targets.agents().load(jvm.pid(), state("")))
          .isInstanceOf(AgentUnavailableException.class)
          .hasMessageContaining("cannot attach to JVM " + jvm.pid())
          .hasMessageContaining("start it with -javaagent");
      assertThat(jvm.isAlive()).isTrue();
    }
  }

  @Test
  void load_failsForAPidThatDoesNotExist() {
    long pid = Targets.unusedPid();

    assertThatThrownBy(() -> Targets.agents().load(pid, AgentArguments.NONE))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessage("no process with pid " + pid)
        .extracting(e -> ((ClientException) e).failure())
        .isEqualTo(FailureCause.TARGET_NOT_FOUND);
  }

  @Test
  void load_refusesAProcessThatIsNotAJvmAndLeavesItAlone() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      assertThatThrownBy(() -> Targets.agents().load(sleep.pid(), AgentArguments.NONE))
          .isInstanceOf(TargetNotFoundException.class)
          .hasMessageContaining("process " + sleep.pid() + " is not a Java VM");
      assertThat(sleep.waitFor(300, TimeUnit.MILLISECONDS)).as("still running").isFalse();
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void load_saysHowToNameTheAgentJarAndWhenItIsMissing() {
    assertThatThrownBy(
            () ->
                Agents.withAgentJar(Path.of("/nonexistent/jsplice-agent.jar"))
                    .load(1, AgentArguments.NONE))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("the agent jar /nonexistent/jsplice-agent.jar does not exist");
  }

  @Test
  void call_mapsARefusalToTheAgentsCause() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);
      AgentClient client = Targets.agents().load(jvm.pid(), state(""));

      assertThatThrownBy(() -> client.undo("never-applied", null))
          .isInstanceOf(AgentRefusedException.class)
          .hasMessageContaining("never-applied is not applied in this JVM")
          .extracting(e -> ((ClientException) e).failure())
          .isEqualTo(FailureCause.WRONG_STATE);
    }
  }

  @Test
  void call_afterTheJvmExited_saysItExited() throws Exception {
    AgentClient client;
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);
      client = Targets.agents().load(jvm.pid(), state(""));
    }

    assertThatThrownBy(client::status)
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessage("JVM " + client.pid() + " has exited");
    assertThatThrownBy(() -> Targets.agents().find(client.pid()))
        .isInstanceOf(TargetNotFoundException.class);
  }

  @Test
  void list_showsEachJvmWithItsMainClassVersionAndWhetherTheAgentAnswers() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);

      LocalJvm before = find(jvm.pid());
      assertThat(before.mainClass()).isEqualTo("Ticker");
      assertThat(before.displayName()).isEqualTo("Ticker");
      assertThat(before.agent()).isEqualTo(LocalJvm.AgentPresence.ABSENT);
      assertThat(before.javaVersion()).startsWith(Integer.toString(Runtime.version().feature()));
      assertThat(before.process().user()).isEqualTo(System.getProperty("user.name"));
      Targets.agents().load(jvm.pid(), state(""));
      assertThat(find(jvm.pid()).agent()).isEqualTo(LocalJvm.AgentPresence.PRESENT);
    }
  }

  @Test
  void list_leavesOutThisJvm() {
    assertThat(LocalJvms.list()).noneMatch(jvm -> jvm.pid() == ProcessHandle.current().pid());
  }

  @Test
  void mainClass_skipsOptionsAndTheirArguments() {
    assertThat(LocalJvms.mainClass(List.of("java", "-cp", "a:b", "-Dx=y", "p.Main", "arg")))
        .isEqualTo("p.Main");
    assertThat(LocalJvms.mainClass(List.of("java", "-Xmx1g", "-jar", "app.jar", "-v")))
        .isEqualTo("app.jar");
    assertThat(LocalJvms.mainClass(List.of("java", "--add-opens", "a/b=c", "-m", "mod/p.M")))
        .isEqualTo("mod/p.M");
  }

  private static LocalJvm find(long pid) {
    return LocalJvms.list().stream()
        .filter(jvm -> jvm.pid() == pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("JVM " + pid + " not listed: " + LocalJvms.list()));
  }
}
