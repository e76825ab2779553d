package io.jsplice.agent.control;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FrameChannel;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The agent's end of the control channel ({@link ControlProtocol}): a Unix domain socket served by
 * one daemon thread, {@value #THREAD_NAME}.
 *
 * <p>For each connection it checks the peer ({@link PeerPolicy}), reads one request frame, runs the
 * op's {@link ControlHandler} and writes one reply frame. One thread means requests are serialized:
 * an apply and an undo never run at the same time. A peer that does not send or take its frame
 * within the I/O timeout is dropped, so it cannot hold the thread. Malformed frames and JSON get a
 * {@code BAD_REQUEST} reply; nothing a client sends stops the server.
 *
 * <p>Thread-safe. {@link #close} stops the thread and removes the socket file; it never waits for a
 * request in progress, so it cannot hold up JVM exit.
 */
public final class ControlServer implements Closeable {
  /** The request field in which handlers find the user who sent it. */
  public static final String PEER_USER = "peerUser";

  public static final String THREAD_NAME = "jsplice-control";
  static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocketChannel server;
  private final Path socketFile;
  private final ControlOps ops;
  private final PeerPolicy peers;
  private final AgentLog log;
  private final Duration ioTimeout;

  private ControlServer(
      ServerSocketChannel server,
      Path socketFile,
      ControlOps ops,
      PeerPolicy peers,
      AgentLog log,
      Duration ioTimeout) {
    this.server = server;
    this.socketFile = socketFile;
    this.ops = ops;
    this.peers = peers;
    this.log = log;
    this.ioTimeout = ioTimeout;
  }

  /**
   * Opens this JVM's control channel at {@link ControlProtocol#socketPath} and starts serving.
   *
   * @throws InsecureSocketDirectoryException if the socket directory is not private to this user
   * @throws IOException if the socket cannot be bound
   */
  public static ControlServer openForThisJvm(ControlOps ops, AgentLog log) throws IOException {
    long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    long pid = ProcessHandle.current().pid();
    SocketDirectory.secure(ControlProtocol.socketDirectory(uid), uid);
    return open(
        ControlProtocol.socketPath(uid, pid), ops, PeerPolicy.ownUserOrRoot(), log, IO_TIMEOUT);
  }

  /**
   * Binds {@code socketFile} (mode 0600), replacing a stale one, and starts serving. The caller has
   * made sure the directory is private.
   */
  static ControlServer open(
      Path socketFile, ControlOps ops, PeerPolicy peers, AgentLog log, Duration ioTimeout)
      throws IOException {
    if (Files.deleteIfExists(socketFile)) {
      log.info("removed the stale control socket " + socketFile);
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socketFile));
      Files.setPosixFilePermissions(socketFile, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(socketFile);
      throw e;
    }
    ControlServer control = new ControlServer(server, socketFile, ops, peers, log, ioTimeout);
    Thread thread = new Thread(control::serve, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    log.info("control channel open at " + socketFile + " for " + peers.served());
    return control;
  }

  /** The socket's path; the file exists while the server is open. */
  public Path socketFile() {
    return socketFile;
  }

  public boolean isOpen() {
    return server.isOpen();
  }

  /** Stops accepting and removes the socket file. Does not wait for a request in progress. */
  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socketFile);
    } catch (IOException e) {
      log.warn("could not remove the control socket " + socketFile + ": " + e.getMessage());
    }
  }

  private void serve() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException e) {
        // E.g. out of file descriptors: keep serving once the pressure is gone.
        log.warn("control channel could not accept a connection: " + e + "; retrying in 1 s");
        if (!pause()) {
          return;
        }
        continue;
      }
      serveOne(client);
    }
  }

  void serveOne(SocketChannel client) {
    try (FrameChannel frames = new FrameChannel(client)) {
      UnixDomainPrincipal peer;
      try {
        peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("refused a control connection whose peer is unknown: " + e);
        frames.write(failure(FailureCause.AGENT_UNAVAILABLE, "refused: peer unknown"), ioTimeout);
        return;
      }
      if (!peers.permits(peer)) {
        String who = peer.user().getName();
        log.warn(
            "refused a control connection from user "
                + who
                + " (it serves "
                + peers.served()
                + ")");
        frames.write(
            failure(
                FailureCause.AGENT_UNAVAILABLE,
                "refused: this JVM's agent serves only "
                    + peers.served()
                    + ", not "
                    + who
                    + "; run jsplice as one of them"),
            ioTimeout);
        return;
      }
      String request;
      try {
        request = frames.read(ioTimeout);
      } catch (InterruptedIOException | EOFException gone) {
        log.warn("dropped a control connection: " + gone.getMessage());
        return;
      } catch (IOException malformed) {
        frames.write(
            failure(FailureCause.BAD_REQUEST, "malformed control frame: " + malformed.getMessage()),
            ioTimeout);
        return;
      }
      frames.write(dispatch(request, peer.user().getName()), ioTimeout);
    } catch (IOException e) {
      log.warn("control connection failed: " + e);
    }
  }

  /** Runs the request's op and returns the reply frame; never throws. */
  String dispatch(String text) {
    return dispatch(text, null);
  }

  /**
   * Runs the request's op with the peer's user name (as the kernel reported it) in the request's
   * {@value #PEER_USER} field, overwriting whatever the client put there.
   */
  String dispatch(String text, String peerUser) {
    JsonObject request;
    String op;
    try {
      request = JsonObject.parse(text);
      request.asMap().put(PEER_USER, peerUser);
      op = request.string("op");
    } catch (JsonException e) {
      return failure(FailureCause.BAD_REQUEST, "malformed control request: " + e.getMessage());
    }
    ControlHandler handler = ops.find(op);
    if (handler == null) {
      return failure(
          FailureCause.BAD_REQUEST,
          "unknown op '"
              + op
              + "'; this agent serves "
              + ops.names()
              + " (is jsplice newer than the agent?)");
    }
    Map<String, Object> fields;
    try {
      fields = handler.handle(request);
    } catch (ControlException e) {
      log.warn("op '" + op + "' failed: " + e.failure() + ": " + e.getMessage());
      return failure(e.failure(), e.getMessage());
    } catch (JsonException e) {
      return failure(FailureCause.BAD_REQUEST, "bad '" + op + "' request: " + e.getMessage());
    } catch (RuntimeException | Error e) {
      // Logged with its stack trace; the thread lives on to serve the next request.
      log.error("op '" + op + "' failed unexpectedly", e);
      return failure(FailureCause.INTERNAL, internal(op, e));
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("ok", true);
    fields.forEach((key, value) -> reply.putIfAbsent(key, value));
    try {
      return Json.write(reply);
    } catch (JsonException e) {
      log.error("op '" + op + "' returned a reply that is not JSON", e);
      return failure(FailureCause.INTERNAL, internal(op, e));
    }
  }

  private String internal(String op, Throwable e) {
    return "internal error in op '"
        + op
        + "': "
        + e
        + "; the agent log ("
        + log.target()
        + ") has the details";
  }

  static String failure(FailureCause cause, String message) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("ok", false);
    reply.put("cause", cause.name());
    reply.put("message", message);
    return Json.write(reply);
  }

  /** Sleeps a second; false if interrupted (the interrupt stays set). */
  private static boolean pause() {
    try {
      Thread.sleep(1000);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
