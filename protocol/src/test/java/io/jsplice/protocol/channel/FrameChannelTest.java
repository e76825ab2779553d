package io.jsplice.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.protocol.ControlProtocol;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameChannelTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ServerSocketChannel server;
  private SocketChannel client;
  private SocketChannel accepted;

  @BeforeEach
  void connect() throws IOException {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(address);
    client = SocketChannel.open(address);
    accepted = server.accept();
  }

  @AfterEach
  void close() throws IOException {
    client.close();
    accepted.close();
    server.close();
  }

  @Test
  void message_withABinaryPayloadArrivesByteForByte() throws Exception {
    byte[] payload = new byte[5 * 1024 * 1024 + 17];
    new Random(7).nextBytes(payload);
    Message sent = new Message("{\"op\":\"apply\",\"file\":\"ü.jsplice\"}", payload);

    Thread writer =
        new Thread(
            () -> {
              try {
                new FrameChannel(client).write(sent, TIMEOUT);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    writer.start();
    Message received = new FrameChannel(accepted).read(TIMEOUT, ControlProtocol.MAX_PAYLOAD);
    writer.join();

    assertThat(received.header()).isEqualTo(sent.header());
    assertThat(Arrays.equals(received.payload(), payload)).isTrue();
  }

  @Test
  void read_refusesAPayloadAboveTheReadersLimitWithoutWaitingForIt() throws IOException {
    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
    out.writeInt(2);
    out.write("{}".getBytes());
    out.writeInt(1001);
    out.flush();

    assertThatThrownBy(() -> new FrameChannel(accepted).read(TIMEOUT, 1000))
        .isInstanceOf(OversizedMessageException.class)
        .hasMessageContaining("payload of 1001 bytes is out of range (at most 1000)");
  }

  @Test
  void read_refusesAHeaderOfImpossibleLength() throws IOException {
    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
    out.writeInt(ControlProtocol.MAX_HEADER + 1);
    out.flush();

    assertThatThrownBy(() -> new FrameChannel(accepted).read(TIMEOUT, 0))
        .isInstanceOf(OversizedMessageException.class);
  }

  @Test
  void read_saysWhenThePeerClosesInsideThePayload() throws IOException {
    DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
    out.writeInt(2);
    out.write("{}".getBytes());
    out.writeInt(100);
    out.write(new byte[40]);
    out.flush();
    client.close();

    assertThatThrownBy(() -> new FrameChannel(accepted).read(TIMEOUT, 1000))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("after 40 of 100 bytes");
  }

  @Test
  void write_refusesAPayloadAboveTheProtocolLimit() {
    Message huge = new Message("{}", new byte[ControlProtocol.MAX_PAYLOAD + 1]);

    assertThatThrownBy(() -> new FrameChannel(client).write(huge, TIMEOUT))
        .isInstanceOf(OversizedMessageException.class)
        .hasMessageContaining("64 MiB");
  }
}
