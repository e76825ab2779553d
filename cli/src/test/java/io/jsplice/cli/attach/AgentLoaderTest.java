package io.jsplice.cli.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading the agent into running JVMs on JDK 17 and JDK 25 through the attach API. */
class AgentLoaderTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path state;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_startsTheAgentInARunningJvm(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 2", WAIT);

      long start = System.nanoTime();
      AgentClient client = Targets.loader().load(jvm.pid(), "state=" + state);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("attach + load + first status on " + jdk + ": " + millis + " ms");

      JsonObject status = client.status();
      assertThat(status.string("startMode")).isEqualTo("agentmain");
      assertThat(status.number("pid")).isEqualTo(jvm.pid());
      assertThat(status.number("loads")).isEqualTo(1);
      assertThat(status.string("stateDir")).isEqualTo(state.toString());
      jvm.awaitStdout("tick 20", WAIT);
      assertThat(jvm.stdout().lines())
          .allSatisfy(l -> assertThat(l).matches("ticker started|tick \\d+"));
      assertThat(Targets.unexpectedStderr(jvm.stderr())).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_twiceKeepsOneRuntimeThatTakesTheNewOptions(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);
      JsonObject first = Targets.loader().load(jvm.pid(), "state=" + state).status();

      JsonObject second =
          Targets.loader().load(jvm.pid(), "state=" + state + ",service=billing").status();

      assertThat(second.number("loads")).isEqualTo(2);
      assertThat(second.string("agentStartedAt")).isEqualTo(first.string("agentStartedAt"));
      assertThat(second.string("service")).isEqualTo("billing");
      assertThat(second.string("startMode")).isEqualTo("agentmain");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_intoAJvmStartedWithTheAgentHandsTheRunningAgentTheOptions(Jdk jdk) throws Exception {
    try (TargetJvm jvm =
        Targets.ticker(jdk, "-javaagent:" + Targets.agentJar() + "=state=" + state)) {
      jvm.awaitStdout("tick 1", WAIT);

      JsonObject status = Targets.loader().load(jvm.pid(), "trust=/etc/ca.pem").status();

      assertThat(status.string("startMode")).isEqualTo("premain");
      assertThat(status.number("loads")).isEqualTo(2);
      assertThat(status.strings("trust")).containsExactly("/etc/ca.pem");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void connectOrLoad_loadsOnlyWhenNoAgentAnswers(Jdk jdk) throws Exception {
    try (TargetJvm jvm = Targets.ticker(jdk)) {
      jvm.awaitStdout("tick 1", WAIT);

      Targets.loader().connectOrLoad(jvm.pid(), "state=" + state);
      JsonObject status = Targets.loader().connectOrLoad(jvm.pid(), "service=ignored").status();

      assertThat(status.number("loads")).isEqualTo(1);
      assertThat(status.optString("service")).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_failsWithAdviceWhenTheJvmRefusesDynamicAgents(Jdk jdk) {
    try (TargetJvm jvm = Targets.ticker(jdk, "-XX:-EnableDynamicAgentLoading")) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThatThrownBy(() -> Targets.loader().load(jvm.pid(), "state=" + state))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("JVM " + jvm.pid() + " refused to load the agent")
          .hasMessageContaining("restart it with -javaagent:" + Targets.agentJar())
          .extracting(e -> ((AgentException) e).failure())
          .isEqualTo(FailureCause.AGENT_UNAVAILABLE);
      assertThat(jvm.isAlive()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void load_failsWithAdviceWhenAttachIsDisabled(Jdk jdk) {
    try (TargetJvm jvm = Targets.ticker(jdk, "-XX:+DisableAttachMechanism")) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThatThrownBy(() -> Targets.loader().load(jvm.pid(), "state=" + state))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("cannot attach to JVM " + jvm.pid())
          .hasMessageContaining("start it with -javaagent")
          .asInstanceOf(InstanceOfAssertFactories.type(AgentException.class))
          .extracting(AgentException::failure)
          .isEqualTo(FailureCause.AGENT_UNAVAILABLE);
      assertThat(jvm.isAlive()).isTrue();
    }
  }

  @Test
  void load_failsForAPidThatDoesNotExist() {
    long pid = unusedPid();

    assertThatThrownBy(() -> Targets.loader().load(pid, null))
        .isInstanceOf(AgentException.class)
        .hasMessage("no process with pid " + pid)
        .extracting(e -> ((AgentException) e).failure())
        .isEqualTo(FailureCause.TARGET_NOT_FOUND);
  }

  @Test
  void load_refusesAProcessThatIsNotAJvmAndLeavesItAlone() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      assertThatThrownBy(() -> Targets.loader().load(sleep.pid(), null))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("process " + sleep.pid() + " is not a Java VM")
          .extracting(e -> ((AgentException) e).failure())
          .isEqualTo(FailureCause.TARGET_NOT_FOUND);
      assertThat(sleep.waitFor(300, TimeUnit.MILLISECONDS)).as("still running").isFalse();
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void fromSystemProperty_saysHowToNameTheAgentJar() {
    assertThatThrownBy(() -> AgentLoader.fromProperty(null))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining(
            "jsplice.agent.jar does not name the agent jar; run jsplice through bin/jsplice");
  }

  @Test
  void load_saysWhenTheAgentJarIsMissing() {
    assertThatThrownBy(
            () -> new AgentLoader(Path.of("/nonexistent/jsplice-agent.jar")).load(1, null))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("the agent jar /nonexistent/jsplice-agent.jar does not exist");
  }

  static long unusedPid() {
    long pid = 4_000_000;
    while (ProcessHandle.of(pid).isPresent()) {
      pid++;
    }
    return pid;
  }
}
