package io.jsplice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that only looks for the agent (never loads it) in a JVM started with {@code -javaagent}
 * finds it even when it looks before the agent opened its control channel: it waits for the socket.
 *
 * <p>The JVM is held before it loads any agent, deterministically, by HotSpot's own {@code
 * -XX:+PauseAtStartup}: it creates a pause file and waits until the file is removed. The test
 * removes it only once the client is waiting (its thread sleeps between looks) or has answered, so
 * a client that does not wait answers "no agent" every time, however fast or slow the machine is.
 */
class ControlSocketSearchTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void find_inAJvmStartedWithTheAgent_waitsUntilItsChannelIsOpen(Jdk jdk) throws Exception {
    Path pause = dir.resolve("pause");
    try (TargetJvm jvm = pausedTicker(jdk, pause, javaagent())) {
      awaitFile(pause);
      Agents agents = Targets.agents().withSocketTimeout(WAIT);

      Optional<AgentClient> found = releasedWhileWaiting(pause, () -> agents.find(jvm.pid()));

      assertThat(found).as("the agent, found once its channel opened").isPresent();
      assertThat(found.get().status().startMode()).isEqualTo("premain");
    }
  }

  @Test
  void describe_ofAJvmStartedWithTheAgent_waitsUntilItsChannelIsOpen() throws Exception {
    Path pause = dir.resolve("pause");
    try (TargetJvm jvm = pausedTicker(Jdk.current(), pause, javaagent())) {
      awaitFile(pause);

      LocalJvm described = releasedWhileWaiting(pause, () -> LocalJvms.describe(jvm.pid(), WAIT));

      assertThat(described.agent()).isEqualTo(LocalJvm.AgentPresence.PRESENT);
    }
  }

  /** The wait is bounded, and what the client then says tells that it waited. */
  @Test
  void find_inAJvmStartedWithTheAgentWhoseChannelNeverOpens_saysItWaited() throws Exception {
    Path pause = dir.resolve("pause");
    try (TargetJvm jvm = pausedTicker(Jdk.current(), pause, javaagent())) {
      awaitFile(pause); // and never removed: the agent never starts

      assertThatThrownBy(
              () -> Targets.agents().withSocketTimeout(Duration.ofMillis(300)).find(jvm.pid()))
          .isInstanceOf(AgentUnavailableException.class)
          .hasMessageContaining("JVM " + jvm.pid() + " was started with the jsplice agent")
          .hasMessageContaining("no control socket appeared in it within the 300 ms");
      // A client that may load the agent goes on to load it (which reopens a closed channel).
      assertThat(Targets.agents().withSocketTimeout(Duration.ofMillis(300)).answering(jvm.pid()))
          .isEmpty();
    }
  }

  /**
   * A JVM whose command line loads no jsplice agent is answered at once: were it waited for, the
   * day-long socket timeout would hold the test up until its own timeout. Another agent, though its
   * jar is named as jsplice's, is not jsplice's: its manifest says so.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void find_inAJvmStartedWithoutTheAgent_answersAtOnce() throws Exception {
    Path other =
        Jars.write(
            dir.resolve("other").resolve("jsplice-agent.jar"),
            Map.of(),
            Map.of("Premain-Class", "com.example.OtherAgent"));
    Path pause = dir.resolve("pause");
    Agents agents = Targets.agents().withSocketTimeout(Duration.ofDays(1));
    try (TargetJvm jvm = pausedTicker(Jdk.current(), pause, "-javaagent:" + other + "=x=y")) {
      awaitFile(pause);

      assertThat(agents.find(jvm.pid())).isEmpty();
      assertThat(LocalJvms.describe(jvm.pid()).agent()).isEqualTo(LocalJvm.AgentPresence.ABSENT);
    }
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThat(agents.find(jvm.pid())).isEmpty();
    }
  }

  @Test
  void javaagentJars_areTheJarsOfTheJvmsOwnAgentOptions() {
    assertThat(
            LocalJvms.javaagentJars(
                List.of(
                    "java",
                    "-javaagent:/opt/a.jar=trust=/etc/k.pem,service=x",
                    "-cp",
                    "-javaagent:not-an-option.jar",
                    "-javaagent:lib/b.jar",
                    "p.Main",
                    "-javaagent:program-argument.jar")))
        .containsExactly("/opt/a.jar", "lib/b.jar");
  }

  private String javaagent() {
    return "-javaagent:" + Targets.agentJar() + "=state=" + dir.resolve("state");
  }

  /** A ticker that HotSpot holds before it loads any agent, until {@code pause} is removed. */
  private static TargetJvm pausedTicker(Jdk jdk, Path pause, String javaagent) {
    return Targets.ticker(
        jdk,
        "-XX:+UnlockDiagnosticVMOptions",
        "-XX:+PauseAtStartup",
        "-XX:PauseAtStartupFile=" + pause,
        javaagent);
  }

  /**
   * Runs {@code look} on a thread of its own and removes {@code pause} once that thread waits (or
   * is done): then the JVM goes on to start its agent.
   */
  private static <T> T releasedWhileWaiting(Path pause, Callable<T> look) throws Exception {
    FutureTask<T> task = new FutureTask<>(look);
    Thread looker = new Thread(task, "looker");
    looker.start();
    while (!task.isDone() && looker.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(1);
    }
    Files.delete(pause);
    try {
      return task.get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the JVM made no pause file " + file + " within " + WAIT);
      }
      Thread.sleep(5);
    }
  }
}
