package io.jsplice.protocol.channel;

import io.jsplice.protocol.ControlProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One control connection: {@link Message}s read and written under a deadline.
 *
 * <p>On the wire a message is a 4-byte big-endian length and that many bytes of UTF-8 JSON (at most
 * {@link ControlProtocol#MAX_HEADER}), then a 4-byte length and that many payload bytes (at most
 * the reader's limit, {@link ControlProtocol#MAX_PAYLOAD} at most). A length out of range fails
 * before anything is allocated; a payload is read in chunks as it arrives, so a peer that announces
 * a large payload and sends nothing costs no memory.
 *
 * <p>A blocking socket channel cannot time out a read, and a Unix domain channel has no {@code
 * Socket} adaptor to set {@code SO_TIMEOUT} on; without a deadline one silent peer would hold the
 * agent's single control thread forever. So this switches the channel to non-blocking mode and
 * waits in a {@link Selector}.
 *
 * <p>Not thread-safe: one thread at a time. Closing it closes the channel.
 */
public final class FrameChannel implements Closeable {
  private static final int CHUNK = 64 * 1024;

  private final SocketChannel channel;
  private final Selector selector;
  private final DataInputStream in;
  private final DataOutputStream out;
  private long deadlineNanos;
  private Duration timeout = Duration.ZERO;

  /**
   * Takes over a connected channel and switches it to non-blocking mode.
   *
   * @throws IOException if the channel cannot be made non-blocking or no selector opens
   */
  public FrameChannel(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    this.in = new DataInputStream(new BufferedInputStream(new ChannelInput(), CHUNK));
    this.out = new DataOutputStream(new BufferedOutputStream(new ChannelOutput(), CHUNK));
  }

  /** The underlying channel, e.g. to read the peer's credentials. */
  public SocketChannel channel() {
    return channel;
  }

  /**
   * Reads one message.
   *
   * @param maxPayload the largest payload accepted, at most {@link ControlProtocol#MAX_PAYLOAD}
   * @throws SocketTimeoutException if no whole message arrives within {@code timeout}
   * @throws EOFException if the peer closes before a whole message
   * @throws OversizedMessageException if a length is out of range
   * @throws InterruptedIOException if the thread is interrupted (its interrupt status stays set)
   */
  public Message read(Duration timeout, int maxPayload) throws IOException {
    startDeadline(timeout);
    int headerLength = in.readInt();
    if (headerLength < 0 || headerLength > ControlProtocol.MAX_HEADER) {
      throw new OversizedMessageException(
          "control message header of " + headerLength + " bytes is out of range");
    }
    byte[] header = new byte[headerLength];
    in.readFully(header);
    int payloadLength = in.readInt();
    if (payloadLength < 0 || payloadLength > Math.min(maxPayload, ControlProtocol.MAX_PAYLOAD)) {
      throw new OversizedMessageException(
          "control message payload of "
              + payloadLength
              + " bytes is out of range (at most "
              + Math.min(maxPayload, ControlProtocol.MAX_PAYLOAD)
              + ")");
    }
    return new Message(new String(header, StandardCharsets.UTF_8), readPayload(payloadLength));
  }

  /**
   * Writes one message.
   *
   * @throws SocketTimeoutException if the peer does not take it within {@code timeout}
   * @throws OversizedMessageException if the header or payload is too large
   * @throws InterruptedIOException if the thread is interrupted (its interrupt status stays set)
   */
  public void write(Message message, Duration timeout) throws IOException {
    byte[] header = message.header().getBytes(StandardCharsets.UTF_8);
    if (header.length > ControlProtocol.MAX_HEADER) {
      throw new OversizedMessageException(
          "control message header of "
              + header.length
              + " bytes exceeds "
              + ControlProtocol.MAX_HEADER);
    }
    if (message.payload().length > ControlProtocol.MAX_PAYLOAD) {
      throw new OversizedMessageException(
          "payload of "
              + message.payload().length
              + " bytes exceeds "
              + ControlProtocol.MAX_PAYLOAD
              + " (64 MiB)");
    }
    startDeadline(timeout);
    out.writeInt(header.length);
    out.write(header);
    out.writeInt(message.payload().length);
    out.write(message.payload());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }

  /** Reads {@code length} bytes, growing the buffer only as bytes arrive. */
  private byte[] readPayload(int length) throws IOException {
    byte[] buffer = new byte[Math.min(length, CHUNK)];
    int filled = 0;
    while (filled < length) {
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(length, (long) buffer.length * 2));
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        throw new EOFException("the peer closed after " + filled + " of " + length + " bytes");
      }
      filled += n;
    }
    return buffer;
  }

  private void startDeadline(Duration timeout) {
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /** Waits until the channel is ready for {@code op} or the deadline passes. */
  private void await(int op) throws IOException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new SocketTimeoutException(
          "the peer did not "
              + (op == SelectionKey.OP_READ ? "send" : "accept")
              + " a whole control message within "
              + timeout.toMillis()
              + " ms");
    }
    SelectionKey key = channel.keyFor(selector);
    if (key == null) {
      channel.register(selector, op);
    } else {
      key.interestOps(op);
    }
    selector.select(Math.max(1, remaining / 1_000_000));
    selector.selectedKeys().clear();
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while waiting for the control peer");
    }
  }

  private final class ChannelInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (true) {
        int n = channel.read(buffer);
        if (n != 0) {
          return n;
        }
        await(SelectionKey.OP_READ);
      }
    }
  }

  private final class ChannelOutput extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        if (channel.write(buffer) == 0) {
          await(SelectionKey.OP_WRITE);
        }
      }
    }
  }
}
