package io.jsplice.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.JvmProcess;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** HotSpot's attach protocol spoken by jsplice's own client, framing and real JVMs 17 and 25. */
class AttachListenerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @Test
  void request_isTheVersionTheCommandAndThreeArguments_eachEndedByNul() throws Exception {
    byte[] request = AttachListener.request("load", "instrument", "false", "/a b/agent.jar=x=1");

    assertThat(new String(request, StandardCharsets.UTF_8))
        .isEqualTo("1\0load\0instrument\0false\0/a b/agent.jar=x=1\0");
    assertThat(new String(AttachListener.request("properties"), StandardCharsets.UTF_8))
        .isEqualTo("1\0properties\0\0\0\0");
  }

  @Test
  void request_leavesToTheJdksClient_anArgumentLongerThanVersionOneCarries() {
    String longOptions = "x".repeat(AttachListener.ARG_LENGTH_MAX);

    assertThatThrownBy(() -> AttachListener.request("load", "instrument", "false", longOptions))
        .isInstanceOf(AttachListener.Unexpected.class)
        .hasMessageContaining("longer than version 1 carries");
  }

  @Test
  void reply_isTheStatusLineThenTheOutput() throws Exception {
    AttachListener.Reply ok = AttachListener.reply(stream("0\nreturn code: 0\n"));
    AttachListener.Reply failed =
        AttachListener.reply(stream("-1\nDynamic agent loading is not enabled.\n"));

    assertThat(ok.failed()).isNull();
    assertThat(new String(ok.output(), StandardCharsets.UTF_8)).isEqualTo("return code: 0\n");
    assertThat(failed.failed())
        .isEqualTo(new AttachListener.Failed(-1, "Dynamic agent loading is not enabled."));
    assertThatThrownBy(() -> AttachListener.reply(stream("")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("before its status");
    assertThatThrownBy(() -> AttachListener.reply(stream("HTTP/1.1 400\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a number");
  }

  @Test
  void checkLoaded_readsTheInstrumentAgentsReturnCode_asTheJdkDoes() throws Exception {
    JvmProcess self = JvmProcess.of(ProcessHandle.current().pid());
    Path jar = Path.of("/opt/jsplice/lib/jsplice-agent.jar");
    HotSpotAttach.ProblemSource none = () -> null;

    HotSpotAttach.checkLoaded(self, jar, reply("return code: 0\n"), none);
    assertThatThrownBy(
            () -> HotSpotAttach.checkLoaded(self, jar, reply("return code: 100\n"), none))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("refused to load the agent (Agent JAR not found");
    assertThatThrownBy(
            () ->
                HotSpotAttach.checkLoaded(
                    self, jar, reply("return code: 102\n"), () -> "no state directory"))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessage("the agent failed to start in JVM " + self.pid() + " (no state directory)");
    assertThatThrownBy(
            () ->
                HotSpotAttach.checkLoaded(
                    self,
                    jar,
                    new AttachListener.Reply(
                        new AttachListener.Failed(-1, "Dynamic agent loading is not enabled."),
                        new byte[0]),
                    none))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("refused to load the agent (Failed to load agent library: Dynamic")
        .hasMessageContaining("-XX:-EnableDynamicAgentLoading");
  }

  /** SIGQUIT kills a process that does not catch it: a JVM catches it, {@code sleep} does not. */
  @Test
  void catchesSigquit_tellsAJvmFromAProcessThatWouldDieOfTheSignal() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(AttachListener.catchesSigquit(ProcessHandle.current().pid())).isTrue();
      assertThat(AttachListener.catchesSigquit(sleep.pid())).isFalse();
    } finally {
      sleep.destroyForcibly();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void of_startsTheListenerOfARunningJvm_andLeavesNoTriggerFileBehind(Jdk jdk) throws Exception {
    try (TargetJvm jvm = sleeper(jdk)) {
      jvm.awaitStdout("sleeping", WAIT);
      JvmProcess target = JvmProcess.of(jvm.pid());

      Properties properties = AttachListener.of(target, WAIT).systemProperties();

      assertThat(properties.getProperty("java.home")).isEqualTo(jdk.home().toString());
      assertThat(Path.of("/proc", Long.toString(jvm.pid()), "cwd", ".attach_pid" + jvm.pid()))
          .doesNotExist();
      assertThat(Path.of("/tmp", ".attach_pid" + jvm.pid())).doesNotExist();
      // A second client finds the listener running and sends no signal.
      assertThat(AttachListener.of(target, WAIT).systemProperties().getProperty("java.home"))
          .isEqualTo(jdk.home().toString());
      assertThat(jvm.isAlive()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void loadInstrument_runsTheAgentsAgentmain_withItsOptions(Jdk jdk) throws Exception {
    Path marker = dir.resolve("agentmain-ran");
    Path agent = agentJar();
    try (TargetJvm jvm = sleeper(jdk)) {
      jvm.awaitStdout("sleeping", WAIT);

      AttachListener.Reply reply =
          AttachListener.of(JvmProcess.of(jvm.pid()), WAIT)
              .loadInstrument(agent, marker.toString());

      assertThat(reply.failed()).isNull();
      assertThat(new String(reply.output(), StandardCharsets.UTF_8)).startsWith("return code: 0");
      // agentmain runs before the listener answers.
      assertThat(marker).hasContent("agentmain " + marker);
    }
  }

  private TargetJvm sleeper(Jdk jdk) throws IOException {
    return SleeperJvm.start(jdk, dir);
  }

  /** An agent whose agentmain writes "agentmain OPTIONS" into the file its options name. */
  private Path agentJar() throws IOException {
    var compiled =
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile(
                "MarkerAgent.java",
                """
                import java.nio.file.*;
                public class MarkerAgent {
                  public static void agentmain(String options) throws Exception {
                    Files.writeString(Path.of(options), "agentmain " + options);
                  }
                }
                """);
    Path jar =
        Jars.write(
            dir.resolve("marker-agent.jar"),
            compiled,
            java.util.Map.of("Agent-Class", "MarkerAgent"));
    return jar;
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static AttachListener.Reply reply(String output) {
    return new AttachListener.Reply(null, output.getBytes(StandardCharsets.UTF_8));
  }
}
