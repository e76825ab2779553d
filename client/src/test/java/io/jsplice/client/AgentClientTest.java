package io.jsplice.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.channel.FrameChannel;
import io.jsplice.protocol.channel.Message;
import io.jsplice.protocol.message.UndoReply;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of heartbeats, against a stand-in agent in this JVM (the client checks that the
 * peer runs as the target's user: this JVM is the target).
 */
class AgentClientTest {
  @TempDir Path dir;

  @Test
  void call_withHeartbeats_asksForThemAndWaitsThroughThemForTheReply() throws Exception {
    Path socket = dir.resolve("agent.sock");
    CompletableFuture<JsonObject> asked = standInAgent(socket, 5);
    AgentClient client =
        new AgentClient(
                JvmProcess.of(ProcessHandle.current().pid()), socket, Duration.ofSeconds(40))
            .withHeartbeats();

    UndoReply reply = client.undo("u", null);

    assertThat(reply.undone()).isEqualTo("u");
    assertThat(reply.restored()).containsExactly("lib.A");
    assertThat(ControlProtocol.beatInterval(asked.get()))
        .as("a quarter of the client's timeout")
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void call_withoutHeartbeats_asksForNone() throws Exception {
    Path socket = dir.resolve("plain.sock");
    CompletableFuture<JsonObject> asked = standInAgent(socket, 0);

    new AgentClient(JvmProcess.of(ProcessHandle.current().pid()), socket, Duration.ofSeconds(40))
        .undo("u", null);

    assertThat(ControlProtocol.beatInterval(asked.get())).isNull();
  }

  /**
   * An agent that reads the request and closes the connection without an answer (its jar replaced
   * on disk under it: a class it then loads is gone) is named as such, not as "null".
   */
  @Test
  void call_toAnAgentThatClosesWithoutAnswering_saysSo() throws Exception {
    Path socket = dir.resolve("mute.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    CompletableFuture<Void> mute =
        CompletableFuture.runAsync(
            () -> {
              try (server;
                  SocketChannel channel = server.accept();
                  FrameChannel frames = new FrameChannel(channel)) {
                frames.read(Duration.ofMinutes(1), 0);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    AgentClient client =
        new AgentClient(
            JvmProcess.of(ProcessHandle.current().pid()), socket, Duration.ofSeconds(40));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.undo("u", null))
        .isInstanceOf(AgentUnavailableException.class)
        .hasMessageContaining("closed it without an answer")
        .hasMessageNotContaining("null");
    mute.get();
  }

  /**
   * A stand-in agent listening on {@code socket} for one request, which it answers with {@code
   * heartbeats} heartbeats and then the reply of an undo of {@code u} that restored {@code lib.A}.
   *
   * @return the request's header, once answered
   */
  private static CompletableFuture<JsonObject> standInAgent(Path socket, int heartbeats)
      throws java.io.IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return CompletableFuture.supplyAsync(
        () -> {
          try (server;
              SocketChannel channel = server.accept();
              FrameChannel frames = new FrameChannel(channel)) {
            Duration wait = Duration.ofMinutes(1);
            JsonObject header = Json.parseObject(frames.read(wait, 0).header());
            for (int i = 0; i < heartbeats; i++) {
              frames.write(Message.of(ControlProtocol.encodeWorking()), wait);
            }
            frames.write(
                Message.of(ControlProtocol.encodeReply(new UndoReply("u", List.of("lib.A"), null))),
                wait);
            return header;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
