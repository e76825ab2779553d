package io.jsplice.client;

import io.jsplice.client.internal.AgentSocket;
import io.jsplice.model.json.JsonException;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.channel.FrameChannel;
import io.jsplice.protocol.channel.Message;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.ApplyRequest;
import io.jsplice.protocol.message.Failure;
import io.jsplice.protocol.message.InventoryReply;
import io.jsplice.protocol.message.InventoryRequest;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.Request;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.ShowRequest;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.protocol.message.StatusRequest;
import io.jsplice.protocol.message.TrustedKey;
import io.jsplice.protocol.message.UndoReply;
import io.jsplice.protocol.message.UndoRequest;
import io.jsplice.protocol.message.VerifyReply;
import io.jsplice.protocol.message.VerifyRequest;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed calls to the agent in one JVM, over its control socket ({@link ControlProtocol}). Every
 * call opens its own connection and, before it sends anything, checks again that the peer runs as
 * the target's user ({@link AgentSocket}).
 *
 * <p>Get one from {@link Agents#find} or {@link Agents#connectOrLoad}. Immutable and thread-safe.
 */
public final class AgentClient {
  /**
   * How long the agent may stay silent by default: an apply waits for quiescence. An agent that
   * sends heartbeats ({@link ControlProtocol}) is silent for at most a quarter of it while it
   * works.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long a request may take in all, heartbeats or not: heartbeats show the agent alive, not its
   * op progressing, so a stuck op still ends the wait.
   */
  public static final Duration WORK_LIMIT = Duration.ofMinutes(30);

  /**
   * How long an agent that should be idle may take to show that it got a request: the status
   * probe's wait ({@link Agents#answering}), and an unprobed apply's for its receipt ({@link
   * #applyIfAnswering}).
   */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final JvmProcess target;
  private final Path socket;
  private final Duration timeout;
  private final boolean heartbeats;

  AgentClient(JvmProcess target, Path socket, Duration timeout) {
    this(target, socket, timeout, false);
  }

  private AgentClient(JvmProcess target, Path socket, Duration timeout, boolean heartbeats) {
    this.target = target;
    this.socket = socket;
    this.timeout = timeout;
    this.heartbeats = heartbeats;
  }

  /** A client like this one whose calls time out after {@code timeout}. */
  public AgentClient withTimeout(Duration timeout) {
    return new AgentClient(target, socket, Objects.requireNonNull(timeout, "timeout"), heartbeats);
  }

  /**
   * A client like this one that asks the agent for heartbeats ({@link ControlProtocol}) every
   * quarter of its timeout, and so waits through a long op as long as the agent is alive (at most
   * {@link #WORK_LIMIT}), rather than giving up at its timeout: for a person at a terminal. A
   * caller with its own bound on each call (the fleet daemon) does without.
   */
  public AgentClient withHeartbeats() {
    return new AgentClient(target, socket, timeout, true);
  }

  public JvmProcess target() {
    return target;
  }

  public long pid() {
    return target.pid();
  }

  /** The socket, as this process reaches it. */
  public Path socket() {
    return socket;
  }

  public StatusReply status() throws ClientException {
    return call(new StatusRequest(), null);
  }

  /**
   * Applies {@code update}: its bytes, read and verified by the caller, travel in the request; the
   * agent verifies them again against the keys the update was verified with ({@link
   * VerifiedUpdate#trust}) or, when the caller trusted none, against its own.
   */
  public ApplyReply apply(VerifiedUpdate update, Quiescence quiescence) throws ClientException {
    return apply(update, quiescence, false);
  }

  /**
   * As {@link #apply(VerifiedUpdate, Quiescence)}; with {@code acceptPartial}, also an update whose
   * fix would be only partly in force (the reply says what is not).
   */
  public ApplyReply apply(VerifiedUpdate update, Quiescence quiescence, boolean acceptPartial)
      throws ClientException {
    return apply(
        update.file(),
        update.bytes(),
        update.sha256(),
        update.trust(),
        quiescence,
        acceptPartial,
        false,
        true);
  }

  /**
   * As {@link #apply(VerifiedUpdate, Quiescence)}, also when the update leaves out classes of the
   * fixed release (the reply's {@code leftOut} names them), but not when state built before it
   * would keep the fix from being in force ({@link ApplyRequest#acceptLeftOut}).
   */
  public ApplyReply applyLeavingOut(VerifiedUpdate update, Quiescence quiescence)
      throws ClientException {
    return apply(
        update.file(),
        update.bytes(),
        update.sha256(),
        update.trust(),
        quiescence,
        false,
        true,
        true);
  }

  /**
   * As {@link #apply(VerifiedUpdate, Quiescence, boolean)}, with an update the caller did not
   * verify: the agent verifies it, as it verifies every update it receives, and refuses it with the
   * same cause ({@link AgentRefusedException}). For a caller that would only repeat the agent's
   * check: one that does not load the agent for this update.
   */
  public ApplyReply apply(UpdatePayload update, Quiescence quiescence, boolean acceptPartial)
      throws ClientException {
    return apply(
        update.file(),
        update.bytes(),
        update.sha256(),
        update.trust(),
        quiescence,
        acceptPartial,
        false,
        false);
  }

  /**
   * As {@link #apply(UpdatePayload, Quiescence, boolean)}, without a status probe before it: one
   * connection, one request. The request asks for a receipt ({@link ControlProtocol}), which an
   * agent sends before the op runs, and for a heartbeat every quarter of {@link #PROBE_TIMEOUT},
   * which an agent from before the receipt sends while its op runs; so a live agent of either kind
   * says something within {@link #PROBE_TIMEOUT}. Empty when nothing came back by then, or the
   * socket refused the connection: the socket takes connections but no agent reads them (the probe
   * would have found the same), and the caller may load the agent again and send the update again.
   * The connection is closed first, so an agent that reads the request later drops it unrun (an
   * agent from before the receipt runs it; the second apply is then refused as already applied).
   *
   * @throws UntrustedAgentException when the peer is not the target's user (nothing is sent)
   * @throws AgentRefusedException with the agent's cause when it refuses the apply
   */
  public Optional<ApplyReply> applyIfAnswering(
      UpdatePayload update, Quiescence quiescence, boolean acceptPartial) throws ClientException {
    ApplyRequest request =
        new ApplyRequest(
            update.file().toString(),
            update.bytes().length,
            update.sha256(),
            update.trust(),
            quiescence,
            acceptPartial,
            false);
    Duration beat = PROBE_TIMEOUT.dividedBy(4);
    if (heartbeats && timeout.dividedBy(4).compareTo(beat) < 0) {
      beat = timeout.dividedBy(4);
    }
    String header = ControlProtocol.encodeRequest(request, beat, true);
    Message reply =
        exchange(new Message(header, update.bytes()), request.op().word(), PROBE_TIMEOUT);
    return reply == null
        ? Optional.empty()
        : Optional.of(decode(reply, request.op().word(), request.op().replyType()));
  }

  private ApplyReply apply(
      Path file,
      byte[] bytes,
      String sha256,
      List<TrustedKey> trust,
      Quiescence quiescence,
      boolean acceptPartial,
      boolean acceptLeftOut,
      boolean verified)
      throws ClientException {
    // A verified update's check against the caller's keys is not made again by the agent
    // (ApplyRequest#verifiedByCaller); with no keys, the agent's own trust= decides there.
    ApplyRequest request =
        new ApplyRequest(
            file.toString(),
            bytes.length,
            sha256,
            trust,
            quiescence,
            acceptPartial,
            acceptLeftOut,
            verified && !trust.isEmpty());
    return call(request, bytes);
  }

  public UndoReply undo(String id, Quiescence quiescence) throws ClientException {
    return call(new UndoRequest(id, quiescence), null);
  }

  public ShowReply show() throws ClientException {
    return call(new ShowRequest(), null);
  }

  /**
   * @param updates whether to judge the applied and recorded updates too, not only the loaded code
   */
  public VerifyReply verify(boolean updates) throws ClientException {
    return call(new VerifyRequest(updates), null);
  }

  public InventoryReply inventory() throws ClientException {
    return call(new InventoryRequest(), null);
  }

  /** JMX readings, {@code OBJECTNAME#ATTRIBUTE} each, for a health gate. */
  public io.jsplice.protocol.message.ReadingsReply readings(java.util.List<String> attributes)
      throws ClientException {
    return call(new io.jsplice.protocol.message.ReadingsRequest(attributes), null);
  }

  /** The exploit attempts the updates' tripwires blocked, after sequence number {@code after}. */
  public io.jsplice.protocol.message.TripwiresReply tripwires(long after) throws ClientException {
    return call(new io.jsplice.protocol.message.TripwiresRequest(after), null);
  }

  /**
   * Sends {@code request} (and {@code payload}, may be null) and returns the typed reply.
   *
   * @throws AgentRefusedException with the agent's cause when it refuses or fails the operation
   * @throws AgentUnavailableException when no agent answers, or the connection fails
   * @throws UntrustedAgentException when the peer is not the target's user
   * @throws TargetNotFoundException when the JVM is gone
   */
  public <R extends Record> R call(Request<R> request, byte[] payload) throws ClientException {
    String op = request.op().word();
    String header =
        ControlProtocol.encodeRequest(request, heartbeats ? timeout.dividedBy(4) : null);
    Message reply =
        exchange(new Message(header, payload == null ? new byte[0] : payload), op, null);
    return decode(reply, op, request.op().replyType());
  }

  private <R extends Record> R decode(Message reply, String op, Class<? extends Record> type)
      throws ClientException {
    Record decoded;
    try {
      decoded = ControlProtocol.decodeReply(reply.header(), type);
    } catch (JsonException e) {
      throw new AgentUnavailableException(
          "the agent in JVM "
              + target.pid()
              + " sent a malformed reply to '"
              + op
              + "': "
              + e.getMessage()
              + " (is it another version of jsplice? load the agent of this one)",
          e);
    }
    if (decoded instanceof Failure failure) {
      throw new AgentRefusedException(failure);
    }
    @SuppressWarnings("unchecked")
    R typed = (R) decoded;
    return typed;
  }

  /**
   * Sends {@code request} and returns the reply.
   *
   * @param firstAnswer when not null, how long the agent may take to take the request and say
   *     anything; null (nothing sent to an agent that reads it, the connection closed) when it does
   *     not, or when the connection is refused
   */
  private Message exchange(Message request, String op, Duration firstAnswer)
      throws ClientException {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      if (!target.isAlive()) {
        throw new TargetNotFoundException("JVM " + target.pid() + " has exited", e);
      }
      if (firstAnswer != null) {
        return null;
      }
      throw new AgentUnavailableException(
          "the control socket "
              + socket
              + " of JVM "
              + target.pid()
              + " does not answer ("
              + e.getMessage()
              + "); the agent may have failed: load it again or see its log",
          e);
    }
    try (FrameChannel frames = new FrameChannel(channel)) {
      AgentSocket.checkPeer(target, channel);
      IOException writeFailure = null;
      try {
        frames.write(request, firstAnswer != null ? firstAnswer : timeout);
      } catch (SocketTimeoutException e) {
        if (firstAnswer != null) {
          return null; // not taken: an agent reads a whole request before it runs it
        }
        throw e;
      } catch (IOException e) {
        // The agent may have answered (a refusal) and closed before reading: read that answer.
        writeFailure = e;
      }
      long end = System.nanoTime() + WORK_LIMIT.toNanos();
      Duration wait = firstAnswer != null ? firstAnswer : timeout;
      while (true) {
        Message message;
        try {
          message = frames.read(wait, 0);
        } catch (SocketTimeoutException e) {
          if (firstAnswer != null && wait == firstAnswer) {
            return null; // closed unanswered: an agent that reads the request later drops it
          }
          throw writeFailure != null ? writeFailure : e;
        } catch (IOException e) {
          throw writeFailure != null ? writeFailure : e;
        }
        wait = timeout;
        if (!ControlProtocol.isWorking(message.header())) {
          return message;
        }
        if (System.nanoTime() - end > 0) {
          throw new AgentUnavailableException(
              "the agent in JVM "
                  + target.pid()
                  + " is still working on '"
                  + op
                  + "' after "
                  + WORK_LIMIT.toMinutes()
                  + " min; it goes on without this client: see its log");
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AgentUnavailableException(
          "the agent in JVM "
              + target.pid()
              + " sent nothing about '"
              + op
              + "' for "
              + timeout.toSeconds()
              + " s; it may be busy: see its log, or try again",
          e);
    } catch (IOException e) {
      throw new AgentUnavailableException(
          "the connection to the agent in JVM "
              + target.pid()
              + " failed during '"
              + op
              + "': "
              + (e instanceof java.io.EOFException || e.getMessage() == null
                  ? "the agent closed it without an answer ("
                      + e.getClass().getSimpleName()
                      + ")"
                      + "; it may have failed: see its log"
                  : e.getMessage()),
          e);
    }
  }
}
