package io.jsplice.model.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One control connection: {@link ControlProtocol} frames read and written under a deadline.
 *
 * <p>A blocking socket channel cannot time out a read, and a Unix domain channel has no {@code
 * Socket} adaptor to set {@code SO_TIMEOUT} on; without a deadline one silent peer would hold the
 * agent's single control thread forever. So this switches the channel to non-blocking mode and
 * waits in a {@link Selector}. It works for TCP channels too.
 *
 * <p>Not thread-safe: one thread at a time. Closing it closes the channel.
 */
public final class FrameChannel implements Closeable {
  private final SocketChannel channel;
  private final Selector selector;
  private final InputStream in;
  private final OutputStream out;
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
    this.in = new BufferedInputStream(new ChannelInput());
    this.out = new BufferedOutputStream(new ChannelOutput(), 8192);
  }

  /**
   * Reads one frame.
   *
   * @throws SocketTimeoutException if no whole frame arrives within {@code timeout}
   * @throws java.io.EOFException if the peer closes before a whole frame
   * @throws InterruptedIOException if the thread is interrupted (its interrupt status stays set)
   */
  public String read(Duration timeout) throws IOException {
    startDeadline(timeout);
    return ControlProtocol.readFrame(in);
  }

  /**
   * Writes one frame.
   *
   * @throws SocketTimeoutException if the peer does not take the frame within {@code timeout}
   * @throws InterruptedIOException if the thread is interrupted (its interrupt status stays set)
   */
  public void write(String json, Duration timeout) throws IOException {
    startDeadline(timeout);
    ControlProtocol.writeFrame(out, json);
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
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
