package io.jsplice.cli.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.control.FailureCause;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path state;

  @Test
  void forPid_failsForAPidThatDoesNotExist() {
    long pid = AgentLoaderTest.unusedPid();

    assertThatThrownBy(() -> AgentClient.forPid(pid))
        .isInstanceOf(AgentException.class)
        .hasMessage("no process with pid " + pid)
        .extracting(e -> ((AgentException) e).failure())
        .isEqualTo(FailureCause.TARGET_NOT_FOUND);
  }

  @Test
  void send_toAJvmWithoutTheAgent_saysHowToLoadIt() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);

      assertThatThrownBy(() -> AgentClient.forPid(jvm.pid()).status())
          .isInstanceOf(AgentException.class)
          .hasMessageStartingWith("no jsplice agent in JVM " + jvm.pid())
          .hasMessageEndingWith(
              "load the agent into it, or start it with -javaagent:jsplice-agent.jar")
          .extracting(e -> ((AgentException) e).failure())
          .isEqualTo(FailureCause.AGENT_UNAVAILABLE);
    }
  }

  @Test
  void send_toAStaleSocket_saysNoAgentAnswers() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);
      AgentClient client = AgentClient.forPid(jvm.pid());
      Files.createDirectories(client.socket().getParent());
      try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        gone.bind(UnixDomainSocketAddress.of(client.socket()));
      }
      try {
        assertThatThrownBy(client::status)
            .isInstanceOf(AgentException.class)
            .hasMessageContaining("does not answer")
            .extracting(e -> ((AgentException) e).failure())
            .isEqualTo(FailureCause.AGENT_UNAVAILABLE);
      } finally {
        Files.deleteIfExists(client.socket());
      }
    }
  }

  @Test
  void send_mapsAFailedReplyToItsCause() throws Exception {
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);
      AgentClient client = Targets.loader().load(jvm.pid(), "state=" + state);

      assertThatThrownBy(() -> client.send(Map.of("op", "teleport")))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("unknown op 'teleport'")
          .extracting(e -> ((AgentException) e).failure())
          .isEqualTo(FailureCause.BAD_REQUEST);
    }
  }

  @Test
  void send_afterTheJvmExited_saysItExited() throws Exception {
    AgentClient client;
    try (TargetJvm jvm = Targets.ticker(Jdk.current())) {
      jvm.awaitStdout("tick 1", WAIT);
      client = Targets.loader().load(jvm.pid(), "state=" + state);
    }

    assertThat(client.socketExists()).isFalse();
    assertThatThrownBy(client::status)
        .isInstanceOf(AgentException.class)
        .hasMessage("JVM " + client.pid() + " has exited")
        .extracting(e -> ((AgentException) e).failure())
        .isEqualTo(FailureCause.TARGET_NOT_FOUND);
  }
}
