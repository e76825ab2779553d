package io.jsplice.agent.control;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.agent.log.ThisProcess;
import io.jsplice.model.control.ClassesLeftOutException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.channel.FrameChannel;
import io.jsplice.protocol.channel.Message;
import io.jsplice.protocol.channel.OversizedMessageException;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.Request;
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
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The agent's end of the control channel ({@link ControlProtocol}): a Unix domain socket served by
 * one daemon thread, {@value #THREAD_NAME}.
 *
 * <p>For each connection it checks the peer ({@link PeerPolicy}), reads one request message, runs
 * the op's {@link ControlHandler} and writes one reply, with heartbeats before it while the op runs
 * when the request asks for them ({@link Heartbeat}). One thread means requests are serialized: an
 * apply and an undo never run at the same time. A peer that does not send or take its message
 * within the I/O timeout is dropped, so it cannot hold the thread. Malformed messages get a {@code
 * BAD_REQUEST} reply; nothing a client sends stops the server. Only a peer the policy permits may
 * send a payload, and never more than {@link ControlProtocol#MAX_PAYLOAD}.
 *
 * <p>Thread-safe. {@link #close} stops the thread and removes the socket file (and a directory it
 * made); it never waits for a request in progress, so it cannot hold up JVM exit.
 */
public final class ControlServer implements Closeable {
  public static final String THREAD_NAME = "jsplice-control";
  static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocketChannel server;
  private final SocketDirectory.Chosen location;
  private final ControlOps ops;
  private final PeerPolicy peers;
  private final AgentLog log;
  private final Duration ioTimeout;
  private final Supplier<String> codeChanged;

  private ControlServer(
      ServerSocketChannel server,
      SocketDirectory.Chosen location,
      ControlOps ops,
      PeerPolicy peers,
      AgentLog log,
      Duration ioTimeout,
      Supplier<String> codeChanged) {
    this.server = server;
    this.location = location;
    this.ops = ops;
    this.peers = peers;
    this.log = log;
    this.ioTimeout = ioTimeout;
    this.codeChanged = codeChanged;
  }

  /**
   * Starts {@link #prepare} on a daemon thread, so that {@link #openForThisJvm} on the thread that
   * loads the agent finds it done or waits for it rather than doing it; never throws.
   */
  public static void prepareInBackground() {
    Thread thread = new Thread(new JdkSocketWarmUp(), "jsplice-prepare");
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      // Then the loading thread does it when it opens the channel, as it would have anyway.
    }
  }

  /**
   * The channel's thread. Not a method reference: the channel opens in {@code premain}, where each
   * lambda costs the main thread a class spun at that moment.
   */
  private static final class Serve implements Runnable {
    private final ControlServer server;

    Serve(ControlServer server) {
      this.server = server;
    }

    @Override
    public void run() {
      server.serve();
    }
  }

  /** Not a lambda: the first lambda of the agent's loader costs its own classes. */
  private static final class JdkSocketWarmUp implements Runnable {
    @Override
    public void run() {
      prepare();
    }
  }

  /**
   * Loads the ops' classes and pays what opening a control socket costs the JDK the first time (its
   * Unix-domain socket support initializes a {@code SecureRandom}, hence the security providers,
   * and the socket options: about 120 classes, tens of milliseconds interpreted), so that {@link
   * #openForThisJvm} then only binds. Opens no socket anyone can see (an unbound one, closed at
   * once); never throws: the channel's own open reports whatever is wrong.
   */
  public static void prepare() {
    try {
      // The ops and their request and reply classes, which premain registers the status op with;
      // then the JDK's part.
      Op.values();
      ServerSocketChannel.open(StandardProtocolFamily.UNIX).close();
    } catch (IOException | RuntimeException | LinkageError e) {
      // The channel's own open reports whatever is wrong.
    }
  }

  /**
   * Opens this JVM's control channel and starts serving: in {@code /tmp/.jsplice-UID/PID.sock}, or,
   * when another user planted that directory, in a fresh private one ({@link SocketDirectory}).
   *
   * @throws IOException if no private directory can be made or the socket cannot be bound
   */
  public static ControlServer openForThisJvm(ControlOps ops, AgentLog log) throws IOException {
    return openForThisJvm(ops, log, () -> null);
  }

  /**
   * As {@link #openForThisJvm(ControlOps, AgentLog)}, refusing every request while {@code
   * codeChanged} says why (the agent jar was overwritten in place: the code an op would load from
   * it is not the agent's any more).
   */
  public static ControlServer openForThisJvm(
      ControlOps ops, AgentLog log, Supplier<String> codeChanged) throws IOException {
    long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    long pid = ThisProcess.pid();
    SocketDirectory.Chosen location = SocketDirectory.choose(uid, pid, log);
    return open(location, ops, PeerPolicy.ownUserOrRoot(), log, IO_TIMEOUT, codeChanged);
  }

  /**
   * Binds the socket (mode 0600), replacing a stale one, and starts serving. The directory is
   * private already.
   */
  static ControlServer open(
      SocketDirectory.Chosen location,
      ControlOps ops,
      PeerPolicy peers,
      AgentLog log,
      Duration ioTimeout)
      throws IOException {
    return open(location, ops, peers, log, ioTimeout, () -> null);
  }

  static ControlServer open(
      SocketDirectory.Chosen location,
      ControlOps ops,
      PeerPolicy peers,
      AgentLog log,
      Duration ioTimeout,
      Supplier<String> codeChanged)
      throws IOException {
    Path socketFile = location.socket();
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
      location.release();
      throw e;
    }
    ControlServer control =
        new ControlServer(server, location, ops, peers, log, ioTimeout, codeChanged);
    // Before the JVM runs on: a jar overwritten in place right after its start (the control thread
    // not yet scheduled) must still get the refusal, not a request read and never answered.
    control.loadRefusal();
    Thread thread = new Thread(new Serve(control), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    log.info("control channel open at " + socketFile + " for " + peers.served());
    return control;
  }

  /** The socket's path; the file exists while the server is open. */
  public Path socketFile() {
    return location.socket();
  }

  public boolean isOpen() {
    return server.isOpen();
  }

  /** Stops accepting and removes the socket file. Does not wait for a request in progress. */
  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(location.socket());
      location.release();
    } catch (IOException e) {
      log.warn("could not remove the control socket " + location.socket() + ": " + e.getMessage());
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
      try {
        serveOne(client);
      } catch (LinkageError e) {
        // Code of the agent's own that could not be loaded (its jar changed under it): this
        // request gets no answer, the thread lives on to refuse the next ones.
        log.error("control connection failed: the agent's code could not be loaded", e);
      }
    }
  }

  /**
   * Loads, while the agent jar is as the JVM opened it, what refusing a request needs: reading its
   * message and JSON header, writing a failure. The runtime reads its classes from the agent jar
   * when first used, so once the jar was overwritten in place the refusal must need none that has
   * not been loaded. Before the channel's thread starts, so before the agent returns to the JVM: on
   * the control thread it raced a jar overwritten right after the JVM started (ApplyFailuresIT
   * failed 1 run in 3 that way on a quiet machine, the request read and never answered).
   */
  private void loadRefusal() {
    try {
      JsonObject.parse(failure(FailureCause.AGENT_UNAVAILABLE, "[1, true, null, {\"a\": 1.5}]"));
      JsonObject.parse("{\"a\":[1,\"b\",true,false,null,{}],\"c\":-1.5e3}");
      Message.of("");
      for (String name :
          new String[] {
            FrameChannel.class.getName(),
            FrameChannel.class.getName() + "$ChannelInput",
            FrameChannel.class.getName() + "$ChannelOutput"
          }) {
        Class.forName(name, true, ControlServer.class.getClassLoader());
      }
    } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
      log.warn("could not load the control channel's refusal ahead: " + e);
    }
  }

  void serveOne(SocketChannel client) {
    try (FrameChannel frames = new FrameChannel(client)) {
      UnixDomainPrincipal peer;
      try {
        peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("refused a control connection whose peer is unknown: " + e);
        reply(frames, failure(FailureCause.AGENT_UNAVAILABLE, "refused: peer unknown"));
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
        reply(
            frames,
            failure(
                FailureCause.AGENT_UNAVAILABLE,
                "refused: this JVM's agent serves only "
                    + peers.served()
                    + ", not "
                    + who
                    + "; run jsplice as one of them"));
        return;
      }
      Message request;
      try {
        request = frames.read(ioTimeout, ControlProtocol.MAX_PAYLOAD);
      } catch (InterruptedIOException | EOFException gone) {
        log.warn("dropped a control connection: " + gone.getMessage());
        return;
      } catch (OversizedMessageException tooLarge) {
        reply(frames, failure(FailureCause.BAD_REQUEST, "refused: " + tooLarge.getMessage()));
        return;
      }
      JsonObject header;
      try {
        header = JsonObject.parse(request.header());
      } catch (JsonException malformed) {
        reply(frames, malformed(malformed));
        return;
      }
      String changed = codeChanged.get();
      if (changed != null) {
        log.warn(changed);
        reply(frames, failure(FailureCause.AGENT_UNAVAILABLE, changed));
        return;
      }
      if (ControlProtocol.asksAck(header)) {
        try {
          reply(frames, ControlProtocol.encodeWorking());
        } catch (IOException gone) {
          // The client gave up before its receipt: it may load the agent again and resend.
          log.warn("dropped a control request whose client left before it ran: " + gone);
          return;
        }
      }
      String answer;
      try (Heartbeat heartbeat =
          Heartbeat.start(frames, ControlProtocol.beatInterval(header), ioTimeout, log)) {
        answer = dispatch(header, request.payload(), peer.user().getName());
      }
      reply(frames, answer);
    } catch (IOException e) {
      log.warn("control connection failed: " + e);
    }
  }

  private void reply(FrameChannel frames, String header) throws IOException {
    frames.write(Message.of(header), ioTimeout);
  }

  /** Runs a request without a peer or payload and returns the reply's header; never throws. */
  String dispatch(String header) {
    Message message = Message.of(header);
    try {
      return dispatch(JsonObject.parse(message.header()), message.payload(), "unknown");
    } catch (JsonException malformed) {
      return malformed(malformed);
    }
  }

  private static String malformed(JsonException e) {
    return failure(FailureCause.BAD_REQUEST, "malformed control request: " + e.getMessage());
  }

  /**
   * Runs the request's op for {@code peerUser} (as the kernel named the peer) and returns the
   * reply's header; never throws.
   *
   * @param header the request's header, parsed once by the caller
   */
  String dispatch(JsonObject header, byte[] payload, String peerUser) {
    Op op;
    Request<?> request;
    try {
      String word = ControlProtocol.opWord(header);
      op = Op.ofWord(word);
      if (op == null || ops.find(op) == null) {
        return failure(
            FailureCause.BAD_REQUEST,
            "unknown op '"
                + word
                + "'; this agent serves "
                + ops.names()
                + " (is jsplice newer than the agent?)");
      }
      request = ControlProtocol.decodeRequest(op, header);
    } catch (JsonException e) {
      return malformed(e);
    }
    Record reply;
    try {
      reply = handle(ops.find(op), request, peerUser, payload);
    } catch (FailureException e) {
      log.warn(
          "op '"
              + op.word()
              + "' failed: "
              + e.failure()
              + ": "
              + e.getMessage()
              + (e.details().isEmpty() ? "" : " " + e.details()));
      return ControlProtocol.encodeFailure(
          e.failure(),
          e.getMessage(),
          e.details(),
          e instanceof ClassesLeftOutException leftOut ? leftOut.leftOut() : null);
    } catch (RuntimeException | Error e) {
      // Logged with its stack trace; the thread lives on to serve the next request.
      log.error("op '" + op.word() + "' failed unexpectedly", e);
      return failure(FailureCause.INTERNAL, internal(op, e));
    }
    try {
      return ControlProtocol.encodeReply(reply);
    } catch (RuntimeException e) {
      log.error("op '" + op.word() + "' returned a reply that is not JSON", e);
      return failure(FailureCause.INTERNAL, internal(op, e));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Record handle(
      ControlHandler<?, ?> handler, Request<?> request, String peerUser, byte[] payload)
      throws FailureException {
    // ControlOps.register checked that the handler takes this op's request type.
    return ((ControlHandler) handler).handle(new ControlCall<>(request, peerUser, payload));
  }

  private String internal(Op op, Throwable e) {
    return "internal error in op '"
        + op.word()
        + "': "
        + e
        + "; the agent log ("
        + log.target()
        + ") has the details";
  }

  static String failure(FailureCause cause, String message) {
    return ControlProtocol.encodeFailure(cause, message);
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
