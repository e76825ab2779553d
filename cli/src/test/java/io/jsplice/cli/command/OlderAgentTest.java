package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Applicability;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsplice apply} against a stand-in for an agent of an earlier jsplice, in a JVM of its own:
 * it listens where an agent does, knows neither the apply's receipt ({@link ControlProtocol}) nor
 * the reply's {@code leftOut}, sends one heartbeat when asked for them (as an earlier agent does
 * during an op longer than one interval), then its canned reply; it prints {@code request OP} for
 * every request before it answers. An earlier agent's reply does not name the classes a subset
 * update leaves out, so the client reads them from the update itself ({@code
 * ApplyArguments.OlderAgent}).
 */
class OlderAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** An earlier agent's reply to an apply: without leftOut. */
  private static final String EARLIER_APPLY_REPLY =
      "{\"ok\":true,\"applied\":\"older-agent-update\",\"description\":\"a live subset\","
          + "\"switched\":[\"lib.Greeter (app)\"],\"pending\":[],\"forcedFrames\":[],"
          + "\"warnings\":[],\"checkMillis\":3,\"switchMillis\":2,\"record\":null,"
          + "\"inForce\":\"FULL\",\"notInForce\":[]}";

  private static final String STAND_IN =
      """
      import java.io.DataInputStream;
      import java.io.DataOutputStream;
      import java.net.StandardProtocolFamily;
      import java.net.UnixDomainSocketAddress;
      import java.nio.channels.Channels;
      import java.nio.channels.ServerSocketChannel;
      import java.nio.channels.SocketChannel;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.nio.file.attribute.PosixFilePermissions;

      public class OlderAgent {
        public static void main(String[] args) throws Exception {
          String status = Files.readString(Path.of(args[0]));
          String apply = Files.readString(Path.of(args[1]));
          long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
          long pid = ProcessHandle.current().pid();
          Path dir = Path.of("/tmp/.jsplice-" + uid + "-older-" + pid);
          Files.createDirectory(
              dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          Path socket = dir.resolve(pid + ".sock");
          ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
          server.bind(UnixDomainSocketAddress.of(socket));
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              Files.deleteIfExists(socket);
              Files.deleteIfExists(dir);
            } catch (Exception e) {
              // a test directory under /tmp
            }
          }));
          if (args.length > 2) {
            Class.forName(args[2]);
          }
          System.out.println("ready");
          if (args.length > 2) {
            // Silent: takes one connection and stops listening, answers nothing, and waits until
            // the client closes it. Then the agent may be loaded into this JVM: it has lib.Greeter.
            try (SocketChannel client = server.accept()) {
              server.close();
              Files.delete(socket);
              Files.delete(dir);
              while (client.read(java.nio.ByteBuffer.allocate(1 << 20)) >= 0) {}
            }
            System.out.println("closed unanswered");
            Thread.sleep(600_000);
            return;
          }
          while (true) {
            try (SocketChannel client = server.accept()) {
              DataInputStream in = new DataInputStream(Channels.newInputStream(client));
              byte[] header = new byte[in.readInt()];
              in.readFully(header);
              in.readFully(new byte[in.readInt()]);
              String request = new String(header, StandardCharsets.UTF_8);
              String op = request.startsWith("{\\"op\\":\\"status\\"") ? "status"
                  : request.startsWith("{\\"op\\":\\"apply\\"") ? "apply" : "other";
              System.out.println("request " + op);
              System.out.flush();
              DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
              if (request.contains("\\"beatMillis\\":")) {
                write(out, "{\\"working\\":true}");
              }
              write(out, op.equals("status") ? status : op.equals("apply") ? apply
                  : "{\\"ok\\":false,\\"cause\\":\\"BAD_REQUEST\\",\\"message\\":\\"unknown op\\"}");
            }
          }
        }

        private static void write(DataOutputStream out, String header) throws Exception {
          byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
          out.writeInt(bytes.length);
          out.write(bytes);
          out.writeInt(0);
          out.flush();
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void apply_namesTheClassesTheUpdateLeavesOut_whenTheAgentsReplyDoesNot() throws Exception {
    Path update = updateLeavingOut("lib.Gone");
    try (TargetJvm agent = olderAgent()) {
      CliRun apply =
          CliRun.jsplice(
              "apply",
              agent.pid(),
              update,
              "--trust",
              TinyLibrary.get().certificate(),
              "--retries",
              "1");

      apply.succeeded();
      assertThat(apply.out())
          .as(apply + agent.outputs())
          .contains(
              "applied older-agent-update to JVM "
                  + agent.pid()
                  + ", WITHOUT 1 class(es) of the fixed release (left out)")
          .contains("left out lib.Gone");
    }
  }

  @Test
  void apply_toAnAgentPresent_sendsOnlyTheApply() throws Exception {
    Path update = updateLeavingOut("lib.Gone");
    try (TargetJvm agent = olderAgent()) {
      CliRun apply =
          CliRun.jsplice(
              "apply",
              agent.pid(),
              update,
              "--trust",
              TinyLibrary.get().certificate(),
              "--retries",
              "1");

      apply.succeeded();
      agent.awaitStdout("request apply", WAIT);
      assertThat(agent.stdout().lines().filter(l -> l.startsWith("request ")))
          .as("the requests the agent got, one per connection")
          .containsExactly("request apply");
    }
  }

  /**
   * A socket that takes the connection and the update but answers nothing (no receipt, heartbeat or
   * reply): after the wait for any answer the client loads the agent, which opens a socket of its
   * own, and applies through it, as it did after a status probe that got no answer.
   */
  @Test
  void apply_loadsTheAgent_whenTheSocketPresentAnswersNothing() throws Exception {
    TinyLibrary library = TinyLibrary.get();
    try (TargetJvm silent =
        standIn(
            Files.createDirectories(dir.resolve("home")),
            new Path[] {library.jar("v1")},
            "lib.Greeter")) {
      CliRun apply =
          CliRun.jsplice(
              "apply",
              silent.pid(),
              library.fix(),
              "--trust",
              library.certificate(),
              "--retries",
              "1");

      apply.succeeded();
      assertThat(apply.out())
          .as(apply + silent.outputs())
          .startsWith("applied " + TinyLibrary.FIX + " to JVM " + silent.pid());
      silent.awaitStdout("closed unanswered", WAIT);
    }
  }

  private TargetJvm olderAgent() throws IOException {
    return standIn(null, new Path[0]);
  }

  /** The stand-in; with {@code more} (a class to load), silent. */
  private TargetJvm standIn(Path home, Path[] classpath, String... more) throws IOException {
    Path classes =
        Jars.writeDirectory(
            dir.resolve("stand-in"),
            Compiler.with(Jdk.current()).compile("OlderAgent.java", STAND_IN));
    Path status =
        Files.writeString(
            dir.resolve("status.json"),
            ControlProtocol.encodeReply(
                new StatusReply(
                    1,
                    "17",
                    "vendor",
                    "vm",
                    "0.9",
                    "agentmain",
                    1,
                    "2026-01-01T00:00:00Z",
                    1,
                    null,
                    dir.toString(),
                    List.of(),
                    "stderr",
                    false,
                    null,
                    List.of("apply", "status"),
                    Map.of(),
                    null)));
    Path apply = Files.writeString(dir.resolve("apply.json"), EARLIER_APPLY_REPLY);
    List<Path> path = new ArrayList<>(List.of(classes));
    path.addAll(List.of(classpath));
    List<String> args = new ArrayList<>(List.of(status.toString(), apply.toString()));
    args.addAll(List.of(more));
    TargetJvm agent =
        TargetJvm.on(Jdk.current())
            .jvmArgs(home == null ? new String[0] : new String[] {"-Duser.home=" + home})
            .classpath(path.toArray(Path[]::new))
            .mainClass("OlderAgent")
            .args(args.toArray(String[]::new))
            .start();
    agent.awaitStdout("ready", WAIT);
    return agent;
  }

  /**
   * The tiny library's fix, noting that it leaves {@code leftOut} out, signed by the trusted key.
   */
  private Path updateLeavingOut(String leftOut) {
    TinyLibrary library = TinyLibrary.get();
    UpdatePackage built = library.build("older-agent-update", "v1", "v2", List.of());
    Update u = built.update();
    Applicability a = u.applicability();
    List<String> notes = new ArrayList<>(a.notes());
    notes.add(Update.LEFT_OUT + leftOut + " (a test's subset)");
    Update noted =
        new Update(
            u.id(),
            u.description(),
            u.cves(),
            u.artifacts(),
            u.created(),
            u.requires(),
            u.classes(),
            u.stateActions(),
            u.instanceActions(),
            u.hooks(),
            new Applicability(a.verdict(), a.mechanisms(), notes, a.stale()),
            u.tripwires());
    return library.write(
        new UpdatePackage(noted, built.files()), library.key(), "older-agent-update.jsplice");
  }
}
