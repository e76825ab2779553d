package io.jsplice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jsplice.agent.ControlRequests;
import io.jsplice.agent.PeerClient;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Compiler;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
  @TempDir Path dir;
  private Path logFile;
  private AgentLog log;
  private final ControlOps ops = new ControlOps();
  private ControlServer server;

  @BeforeEach
  void openServer() throws IOException {
    logFile = dir.resolve("agent.log");
    log = AgentLog.toFile(logFile);
    ops.register("echo", request -> Map.of("echo", request.string("text")));
    ops.register(
        "fail",
        request -> {
          throw new ControlException(
              io.jsplice.model.control.FailureCause.CODE_BUSY, "busy; try again");
        });
    ops.register(
        "crash",
        request -> {
          throw new IllegalStateException("bug");
        });
    server =
        ControlServer.open(
            dir.resolve("test.sock"), ops, PeerPolicy.ownUserOrRoot(), log, Duration.ofMillis(500));
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void serve_answersARegisteredOp() throws IOException {
    JsonObject reply = send(Map.of("op", "echo", "text", "hi"));

    assertThat(reply.asMap()).isEqualTo(Map.of("ok", true, "echo", "hi"));
  }

  @Test
  void serve_answersAControlExceptionWithItsCause() throws IOException {
    JsonObject reply = send(Map.of("op", "fail"));

    assertThat(reply.asMap())
        .isEqualTo(Map.of("ok", false, "cause", "CODE_BUSY", "message", "busy; try again"));
  }

  @Test
  void serve_answersAnUnexpectedExceptionAsInternalAndKeepsServing() throws IOException {
    JsonObject reply = send(Map.of("op", "crash"));

    assertThat(reply.string("cause")).isEqualTo("INTERNAL");
    assertThat(reply.string("message"))
        .contains("'crash'", "IllegalStateException: bug", logFile.toString());
    assertThat(Files.readString(logFile)).contains("java.lang.IllegalStateException: bug");
    assertThat(send(Map.of("op", "echo", "text", "still here")).string("echo"))
        .isEqualTo("still here");
  }

  @Test
  void serve_answersMalformedRequestsAsBadRequest() throws IOException {
    assertThat(cause(ControlRequests.sendRaw(socket(), "{not json"))).isEqualTo("BAD_REQUEST");
    assertThat(cause(ControlRequests.sendRaw(socket(), "[1,2]"))).isEqualTo("BAD_REQUEST");
    assertThat(cause(ControlRequests.sendRaw(socket(), "{\"no\":\"op\"}")))
        .isEqualTo("BAD_REQUEST");
    assertThat(cause(ControlRequests.sendRaw(socket(), "{\"op\":\"echo\"}")))
        .isEqualTo("BAD_REQUEST");
    JsonObject unknown = send(Map.of("op", "teleport"));
    assertThat(unknown.string("cause")).isEqualTo("BAD_REQUEST");
    assertThat(unknown.string("message")).contains("unknown op 'teleport'", "[crash, echo, fail]");
  }

  @Test
  void serve_answersAFrameOfImpossibleLengthAsBadRequest() throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
      out.writeInt(-5);
      out.flush();
      String reply =
          io.jsplice.model.control.ControlProtocol.readFrame(Channels.newInputStream(channel));
      assertThat(cause(reply)).isEqualTo("BAD_REQUEST");
    }
  }

  @Test
  void serve_dropsASilentClientAfterTheTimeoutAndServesTheNext() throws Exception {
    try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      long start = System.nanoTime();
      JsonObject reply = send(Map.of("op", "echo", "text", "next"));

      assertThat(reply.string("echo")).isEqualTo("next");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
      assertThat(silent.read(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    }
    assertThat(Files.readString(logFile)).contains("dropped a control connection");
  }

  @Test
  void serve_runsOneRequestAtATime() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ops.register(
        "slow",
        request -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          return Map.of();
        });
    List<CompletableFuture<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send(Map.of("op", "slow"));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }));
    }

    for (CompletableFuture<JsonObject> reply : replies) {
      assertThat(reply.get().bool("ok", false)).isTrue();
    }
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void serve_runsHandlersOnTheControlThread() throws IOException {
    ops.register(
        "thread",
        request ->
            Map.of(
                "thread",
                Thread.currentThread().getName(),
                "daemon",
                Thread.currentThread().isDaemon()));

    JsonObject reply = send(Map.of("op", "thread"));

    assertThat(reply.string("thread")).isEqualTo("jsplice-control");
    assertThat(reply.bool("daemon", false)).isTrue();
  }

  @Test
  void open_makesTheSocketFileOwnerOnlyAndReplacesAStaleOne() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
        .isEqualTo("rw-------");
    server.close();
    Path stale = Files.writeString(dir.resolve("stale.sock"), "left over");

    server = ControlServer.open(stale, ops, PeerPolicy.ownUserOrRoot(), log, Duration.ofSeconds(1));

    assertThat(send(Map.of("op", "echo", "text", "fresh")).string("echo")).isEqualTo("fresh");
  }

  @Test
  void close_removesTheSocketFile() {
    server.close();

    assertThat(socket()).doesNotExist();
    assertThat(server.isOpen()).isFalse();
  }

  /**
   * The real socket directory (0700) keeps other users out before they can connect; this opens the
   * server in a directory anyone may enter to show that the peer check refuses them too.
   */
  @Test
  void serve_refusesAPeerOfAnotherUser() throws Exception {
    assumeThat(PeerClient.canRun()).as("runs as root with runuser").isTrue();
    Path open = Files.createTempDirectory("jsplice-peer");
    try {
      Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path socket = open.resolve("c.sock");
      server.close();
      server =
          ControlServer.open(socket, ops, PeerPolicy.ownUserOrRoot(), log, Duration.ofSeconds(2));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

      String output = PeerClient.runAsNobody(socket);

      assertThat(output)
          .startsWith("REPLY ")
          .contains("\"cause\":\"AGENT_UNAVAILABLE\"")
          .contains("serves only root, not nobody; run jsplice as one of them");
      assertThat(Files.readString(logFile))
          .contains("refused a control connection from user nobody");
    } finally {
      Compiler.deleteTree(open);
    }
  }

  private Path socket() {
    return server.socketFile();
  }

  private JsonObject send(Map<String, Object> request) throws IOException {
    return ControlRequests.send(socket(), request);
  }

  private static String cause(String reply) {
    return JsonObject.parse(reply).string("cause");
  }
}
