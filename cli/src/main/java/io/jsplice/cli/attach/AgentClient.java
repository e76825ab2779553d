package io.jsplice.cli.attach;

import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FrameChannel;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The CLI's end of the control channel to the agent in one JVM ({@link ControlProtocol}): one
 * request per connection, the reply returned as it came or turned into an {@link AgentException}
 * with the reply's cause.
 *
 * <p>The socket is found from the target's pid and the uid that runs it (the owner of {@code
 * /proc/PID}), so root reaches the agents of every user. Immutable and thread-safe; each request
 * opens its own connection.
 */
public final class AgentClient {
  /** How long a request may take by default: an apply waits for quiescence. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final long pid;
  private final Path socket;
  private final Duration timeout;

  private AgentClient(long pid, Path socket, Duration timeout) {
    this.pid = pid;
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * A client for the agent in the JVM with {@code pid}. Does not connect yet.
   *
   * @throws AgentException {@code TARGET_NOT_FOUND} if there is no such process
   */
  public static AgentClient forPid(long pid) throws AgentException {
    long uid;
    try {
      uid = ((Number) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).longValue();
    } catch (NoSuchFileException e) {
      throw new AgentException(FailureCause.TARGET_NOT_FOUND, "no process with pid " + pid);
    } catch (IOException e) {
      throw new AgentException(
          FailureCause.TARGET_NOT_FOUND, "cannot inspect process " + pid + ": " + e.getMessage());
    }
    return new AgentClient(pid, ControlProtocol.socketPath(uid, pid), DEFAULT_TIMEOUT);
  }

  /** A client like this one whose requests time out after {@code timeout}. */
  public AgentClient withTimeout(Duration timeout) {
    return new AgentClient(pid, socket, Objects.requireNonNull(timeout, "timeout"));
  }

  public long pid() {
    return pid;
  }

  /** Where the agent's control socket is, or would be. */
  public Path socket() {
    return socket;
  }

  /** Whether the socket file exists; it may still be stale. */
  public boolean socketExists() {
    return Files.exists(socket);
  }

  /** Sends {@code status}. See {@link #send}. */
  public JsonObject status() throws AgentException {
    return send(Map.of("op", ControlProtocol.OP_STATUS));
  }

  /**
   * Sends {@code request} and returns the reply, which has {@code "ok": true}.
   *
   * @param request a JSON-writable map with an {@code "op"}
   * @throws AgentException with the reply's cause when the agent answers {@code "ok": false};
   *     {@code AGENT_UNAVAILABLE} when no agent answers; {@code TARGET_NOT_FOUND} when the JVM is
   *     gone
   */
  public JsonObject send(Map<String, Object> request) throws AgentException {
    String op = String.valueOf(request.get("op"));
    String text = exchange(Json.write(request), op);
    try {
      JsonObject reply = JsonObject.parse(text);
      if (reply.bool("ok", false)) {
        return reply;
      }
      throw new AgentException(causeOf(reply), messageOf(reply, op));
    } catch (JsonException e) {
      throw new AgentException(
          FailureCause.INTERNAL,
          "the agent in JVM " + pid + " sent a malformed reply to '" + op + "': " + e.getMessage());
    }
  }

  private String exchange(String request, String op) throws AgentException {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw unreachable(e);
    }
    try (FrameChannel frames = new FrameChannel(channel)) {
      IOException writeFailure = null;
      try {
        frames.write(request, timeout);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // The agent may have answered (a refusal) and closed before reading: read that answer.
        writeFailure = e;
      }
      try {
        return frames.read(timeout);
      } catch (IOException e) {
        throw writeFailure != null ? writeFailure : e;
      }
    } catch (SocketTimeoutException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "the agent in JVM "
              + pid
              + " did not answer '"
              + op
              + "' within "
              + timeout.toSeconds()
              + " s; it may be busy: see its log, or try again",
          e);
    } catch (IOException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "the connection to the agent in JVM "
              + pid
              + " failed during '"
              + op
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private AgentException unreachable(IOException e) {
    if (!Files.exists(Path.of("/proc/" + pid))) {
      return new AgentException(FailureCause.TARGET_NOT_FOUND, "JVM " + pid + " has exited", e);
    }
    if (!Files.exists(socket)) {
      return new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "no jsplice agent in JVM "
              + pid
              + " (no control socket at "
              + socket
              + "); load the agent into it, or start it with -javaagent:jsplice-agent.jar",
          e);
    }
    if (e instanceof AccessDeniedException
        || String.valueOf(e.getMessage()).contains("Permission denied")) {
      return new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "no permission to reach the agent of JVM "
              + pid
              + " at "
              + socket
              + "; run jsplice as the JVM's user or as root",
          e);
    }
    return new AgentException(
        FailureCause.AGENT_UNAVAILABLE,
        "the control socket "
            + socket
            + " of JVM "
            + pid
            + " does not answer ("
            + e.getMessage()
            + "); the agent may have failed: load it again or see its log",
        e);
  }

  private FailureCause causeOf(JsonObject reply) {
    String name = reply.optString("cause");
    if (name != null) {
      try {
        return FailureCause.valueOf(name);
      } catch (IllegalArgumentException newerAgent) {
        // Fall through: a cause this CLI does not know.
      }
    }
    return FailureCause.INTERNAL;
  }

  private String messageOf(JsonObject reply, String op) {
    String message = reply.optString("message");
    if (message == null) {
      message = "the agent in JVM " + pid + " refused '" + op + "' without a message";
    }
    String name = reply.optString("cause");
    if (name != null && causeOf(reply) == FailureCause.INTERNAL && !name.equals("INTERNAL")) {
      message = message + " (cause " + name + ", unknown to this jsplice; update it)";
    }
    return message;
  }
}
