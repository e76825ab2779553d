package io.jsplice.agent;

import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FrameChannel;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A test's side of the control channel: sends one request, returns the reply as it came. */
public final class ControlRequests {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ControlRequests() {}

  /** The control socket of the JVM with {@code pid}, for the uid that runs it. */
  public static Path socketOf(long pid) throws IOException {
    long uid = ((Number) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).longValue();
    return ControlProtocol.socketPath(uid, pid);
  }

  public static JsonObject status(long pid) throws IOException {
    return send(socketOf(pid), Map.of("op", "status"));
  }

  public static JsonObject send(Path socket, Map<String, Object> request) throws IOException {
    return JsonObject.parse(sendRaw(socket, Json.write(request)));
  }

  /** Sends {@code frame} as it is and returns the reply frame's text. */
  public static String sendRaw(Path socket, String frame) throws IOException {
    try (FrameChannel channel =
        new FrameChannel(SocketChannel.open(UnixDomainSocketAddress.of(socket)))) {
      channel.write(frame, TIMEOUT);
      return channel.read(TIMEOUT);
    }
  }
}
