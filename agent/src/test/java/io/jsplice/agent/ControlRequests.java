package io.jsplice.agent;

import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.DefaultPaths;
import io.jsplice.protocol.channel.FrameChannel;
import io.jsplice.protocol.channel.Message;
import io.jsplice.protocol.message.Request;
import io.jsplice.protocol.message.StatusRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A test's side of the control channel: sends one request, returns the reply as it came. It does
 * none of the client library's checks: the agent's tests look at the agent alone.
 */
public final class ControlRequests {
  private static final long TIMEOUT_SECONDS = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

  private ControlRequests() {}

  /** The usual control socket of the JVM with {@code pid}, for the uid that runs it. */
  public static Path socketOf(long pid) throws IOException {
    long uid = ((Number) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).longValue();
    return DefaultPaths.socketPath(uid, pid);
  }

  private static SocketChannel connect(Path socket) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
      } catch (SocketException notYet) {
        if (System.nanoTime() >= deadline) {
          throw notYet;
        }
      }
      pause(socket);
    }
  }

  private static void pause(Path socket) throws InterruptedIOException {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for " + socket);
    }
  }

  public static JsonObject status(long pid) throws IOException {
    return send(socketOf(pid), new StatusRequest());
  }

  public static JsonObject send(Path socket, Request<?> request) throws IOException {
    return JsonObject.parse(sendRaw(socket, ControlProtocol.encodeRequest(request)));
  }

  /** Sends {@code header} as it is, without payload, and returns the reply's header. */
  public static String sendRaw(Path socket, String header) throws IOException {
    return send(socket, Message.of(header)).header();
  }

  /**
   * Sends {@code message} once the socket takes connections, within {@value #TIMEOUT_SECONDS} s:
   * under {@code -javaagent} the agent opens it on a thread of its own, beside the application's
   * start, and until then the file is absent, or a stale one of an earlier process with this pid.
   */
  public static Message send(Path socket, Message message) throws IOException {
    try (FrameChannel channel = new FrameChannel(connect(socket))) {
      channel.write(message, TIMEOUT);
      return channel.read(TIMEOUT, 0);
    }
  }
}
