package io.jsplice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jsplice.agent.ControlRequests;
import io.jsplice.agent.PeerClient;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.channel.Message;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.ApplyRequest;
import io.jsplice.protocol.message.InventoryRequest;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.Request;
import io.jsplice.protocol.message.ShowRequest;
import io.jsplice.protocol.message.UndoReply;
import io.jsplice.protocol.message.UndoRequest;
import io.jsplice.protocol.message.VerifyReply;
import io.jsplice.protocol.message.VerifyRequest;
import io.jsplice.testkit.Compiler;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's end of the control channel with stand-in handlers: {@code undo} echoes its id and who
 * ran it, {@code show} fails with a cause, {@code inventory} throws.
 */
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
    ops.register(
        Op.UNDO,
        UndoRequest.class,
        call ->
            new UndoReply(
                call.request().id(),
                List.of(
                    call.peerUser(),
                    Thread.currentThread().getName(),
                    Boolean.toString(Thread.currentThread().isDaemon())),
                null));
    ops.register(
        Op.SHOW,
        ShowRequest.class,
        call -> {
          throw new FailureException(FailureCause.CODE_BUSY, "busy; try again");
        });
    ops.register(
        Op.INVENTORY,
        InventoryRequest.class,
        call -> {
          throw new IllegalStateException("bug");
        });
    server = open(dir.resolve("test.sock"), Duration.ofMillis(500));
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void serve_answersARegisteredOpWithItsTypedReply() throws IOException {
    JsonObject reply = send(new UndoRequest("CVE-1", Quiescence.DEFAULT));

    assertThat(reply.bool("ok", false)).isTrue();
    assertThat(reply.string("undone")).isEqualTo("CVE-1");
    assertThat(reply.strings("restored").get(0))
        .as("the peer's user as the kernel names it")
        .isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void serve_answersAFailureExceptionWithItsCause() throws IOException {
    JsonObject reply = send(new ShowRequest());

    assertThat(reply.asMap()).containsEntry("ok", false).containsEntry("cause", "CODE_BUSY");
    assertThat(reply.string("message")).isEqualTo("busy; try again");
  }

  @Test
  void serve_answersAnUnexpectedExceptionAsInternalAndKeepsServing() throws IOException {
    JsonObject reply = send(new InventoryRequest());

    assertThat(reply.string("cause")).isEqualTo("INTERNAL");
    assertThat(reply.string("message"))
        .contains("'inventory'", "IllegalStateException: bug", logFile.toString());
    assertThat(Files.readString(logFile)).contains("java.lang.IllegalStateException: bug");
    assertThat(send(new UndoRequest("still-here", null)).string("undone")).isEqualTo("still-here");
  }

  @Test
  void serve_answersMalformedRequestsAsBadRequest() throws IOException {
    assertThat(cause(ControlRequests.sendRaw(socket(), "{not json"))).isEqualTo("BAD_REQUEST");
    assertThat(cause(ControlRequests.sendRaw(socket(), "[1,2]"))).isEqualTo("BAD_REQUEST");
    assertThat(cause(ControlRequests.sendRaw(socket(), "{\"no\":\"op\"}")))
        .isEqualTo("BAD_REQUEST");
    JsonObject missing = JsonObject.parse(ControlRequests.sendRaw(socket(), "{\"op\":\"undo\"}"));
    assertThat(missing.string("cause")).isEqualTo("BAD_REQUEST");
    assertThat(missing.string("message")).contains("$.id");
    JsonObject mistyped =
        JsonObject.parse(ControlRequests.sendRaw(socket(), "{\"op\":\"undo\",\"id\":7}"));
    assertThat(mistyped.string("message")).contains("$.id must be a string");
    JsonObject unknown =
        JsonObject.parse(ControlRequests.sendRaw(socket(), "{\"op\":\"teleport\"}"));
    assertThat(unknown.string("cause")).isEqualTo("BAD_REQUEST");
    assertThat(unknown.string("message"))
        .contains("unknown op 'teleport'", "[inventory, show, undo]");
    JsonObject unregistered = send(new VerifyRequest(true));
    assertThat(unregistered.string("message")).contains("unknown op 'verify'");
  }

  @Test
  void serve_answersAHeaderOfImpossibleLengthAsBadRequest() throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
      out.writeInt(-5);
      out.flush();
      assertThat(cause(readReply(channel))).isEqualTo("BAD_REQUEST");
    }
  }

  @Test
  void serve_refusesAPayloadAboveTheLimitBeforeReadingIt() throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
      byte[] header = "{\"op\":\"undo\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      out.writeInt(header.length);
      out.write(header);
      out.writeInt(ControlProtocol.MAX_PAYLOAD + 1); // announced, never sent
      out.flush();

      JsonObject reply = JsonObject.parse(readReply(channel));

      assertThat(reply.string("cause")).isEqualTo("BAD_REQUEST");
      assertThat(reply.string("message"))
          .contains("payload of " + (ControlProtocol.MAX_PAYLOAD + 1));
    }
  }

  @Test
  void serve_handsTheHandlerThePayloadAsSent() throws IOException {
    ops.register(
        Op.APPLY,
        ApplyRequest.class,
        call ->
            new ApplyReply(
                call.request().updateSha256(),
                new String(call.payload(), StandardCharsets.ISO_8859_1),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                call.payload().length,
                0,
                null,
                io.jsplice.model.InForce.FULL,
                List.of(),
                List.of()));
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    ApplyRequest request =
        new ApplyRequest("u.jsplice", payload.length, "cafe", List.of(), null, false);

    Message reply =
        ControlRequests.send(
            socket(), new Message(ControlProtocol.encodeRequest(request), payload));

    JsonObject json = JsonObject.parse(reply.header());
    assertThat(json.number("checkMillis")).isEqualTo(payload.length);
    assertThat(json.string("description").getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(payload);
  }

  @Test
  void serve_dropsASilentClientAfterTheTimeoutAndServesTheNext() throws Exception {
    try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      JsonObject reply = send(new UndoRequest("next", null));

      assertThat(reply.string("undone")).isEqualTo("next");
      assertThat(silent.read(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
    }
    assertThat(Files.readString(logFile)).contains("dropped a control connection");
  }

  @Test
  void serve_runsOneRequestAtATime() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ops.register(
        Op.VERIFY,
        VerifyRequest.class,
        call -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          return new VerifyReply(
              io.jsplice.model.restart.RestartVerdict.SAME_CODE,
              "",
              0,
              List.of(),
              List.of(),
              0,
              0,
              0);
        });
    List<CompletableFuture<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send(new VerifyRequest(false));
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
  void serve_sendsHeartbeatsWhileAnOpRunsWhenTheRequestAsksForThem() throws Exception {
    java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(3);
    ops.register(
        Op.VERIFY,
        VerifyRequest.class,
        call -> {
          try {
            seen.await(); // until the client has read three heartbeats: no clock involved
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new VerifyReply(
              io.jsplice.model.restart.RestartVerdict.SAME_CODE,
              "",
              0,
              List.of(),
              List.of(),
              0,
              0,
              0);
        });
    int beats = 0;
    try (io.jsplice.protocol.channel.FrameChannel frames =
        new io.jsplice.protocol.channel.FrameChannel(
            SocketChannel.open(UnixDomainSocketAddress.of(socket())))) {
      Duration wait = Duration.ofMinutes(5); // a guard against a hang, never reached when it works
      frames.write(
          Message.of(
              ControlProtocol.encodeRequest(new VerifyRequest(false), ControlProtocol.MIN_BEAT)),
          wait);
      Message reply;
      while (true) {
        reply = frames.read(wait, 0);
        if (!ControlProtocol.isWorking(reply.header())) {
          break;
        }
        beats++;
        seen.countDown();
      }
      assertThat(JsonObject.parse(reply.header()).bool("ok", false)).isTrue();
    }
    assertThat(beats).isGreaterThanOrEqualTo(3);
    // Stopped with the reply: the next request, asking for none, gets its reply first.
    assertThat(send(new UndoRequest("after", null)).string("undone")).isEqualTo("after");
  }

  @Test
  void serve_writesAReceiptBeforeTheOpRunsWhenTheRequestAsksForOne() throws Exception {
    try (io.jsplice.protocol.channel.FrameChannel frames =
        new io.jsplice.protocol.channel.FrameChannel(
            SocketChannel.open(UnixDomainSocketAddress.of(socket())))) {
      Duration wait = Duration.ofMinutes(5); // a guard against a hang, never reached when it works
      frames.write(
          Message.of(ControlProtocol.encodeRequest(new UndoRequest("acked", null), null, true)),
          wait);

      assertThat(frames.read(wait, 0).header()).isEqualTo(ControlProtocol.encodeWorking());
      assertThat(JsonObject.parse(frames.read(wait, 0).header()).string("undone"))
          .isEqualTo("acked");
    }
  }

  /**
   * A client that asked for a receipt and left before the agent read its request (it gave up
   * waiting: the control thread was busy) may load the agent again and send the update again: the
   * request it left is dropped, not run. The control thread is held by another request until the
   * client has closed, so the order is fixed by latches, not by time.
   */
  @Test
  void serve_dropsARequestAskingForAReceiptWhoseClientLeftBeforeItRan() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Boolean> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    ops.register(
        Op.VERIFY,
        VerifyRequest.class,
        call -> {
          ran.add(call.request().updates());
          if (ran.size() == 1) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new VerifyReply(
              io.jsplice.model.restart.RestartVerdict.SAME_CODE,
              "",
              0,
              List.of(),
              List.of(),
              0,
              0,
              0);
        });
    CompletableFuture<JsonObject> busy =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return send(new VerifyRequest(false));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    entered.await();
    try (io.jsplice.protocol.channel.FrameChannel frames =
        new io.jsplice.protocol.channel.FrameChannel(
            SocketChannel.open(UnixDomainSocketAddress.of(socket())))) {
      frames.write(
          Message.of(ControlProtocol.encodeRequest(new VerifyRequest(true), null, true)),
          Duration.ofMinutes(5));
    } // closed before the control thread reads it
    release.countDown();

    assertThat(busy.get().bool("ok", false)).isTrue();
    assertThat(send(new VerifyRequest(false)).bool("ok", false)).isTrue();
    assertThat(ran)
        .as("the requests the handler ran, by their updates flag")
        .containsExactly(false, false);
    assertThat(Files.readString(logFile))
        .contains("dropped a control request whose client left before it ran");
  }

  @Test
  void serve_runsHandlersOnTheControlThread() throws IOException {
    JsonObject reply = send(new UndoRequest("t", null));

    assertThat(reply.strings("restored")).containsSubsequence("jsplice-control", "true");
  }

  @Test
  void open_makesTheSocketFileOwnerOnlyAndReplacesAStaleOne() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
        .isEqualTo("rw-------");
    server.close();
    Path stale = Files.writeString(dir.resolve("stale.sock"), "left over");

    server = open(stale, Duration.ofSeconds(1));

    assertThat(send(new UndoRequest("fresh", null)).string("undone")).isEqualTo("fresh");
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
      server = open(socket, Duration.ofSeconds(2));
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

  private ControlServer open(Path socket, Duration timeout) throws IOException {
    return ControlServer.open(
        new SocketDirectory.Chosen(socket, false), ops, PeerPolicy.ownUserOrRoot(), log, timeout);
  }

  private Path socket() {
    return server.socketFile();
  }

  private JsonObject send(Request<?> request) throws IOException {
    return ControlRequests.send(socket(), request);
  }

  private static String readReply(SocketChannel channel) throws IOException {
    DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
    byte[] header = new byte[in.readInt()];
    in.readFully(header);
    return new String(header, StandardCharsets.UTF_8);
  }

  private static String cause(String reply) {
    return JsonObject.parse(reply).string("cause");
  }
}
