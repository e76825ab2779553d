package io.jsplice.protocol;

import io.jsplice.model.Update;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.json.RecordCodec;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.Failure;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.Request;
import java.time.Duration;
import java.util.List;

/**
 * The control channel between the agent in a JVM and its clients (the {@code jsplice} CLI, the
 * fleet daemon), through {@code io.jsplice.client}.
 *
 * <p>The agent listens on a Unix domain socket, never a network port, in a directory private to the
 * JVM's user ({@link DefaultPaths#socketDirectory}). Each side checks the other: the agent serves
 * only its own user and root (the peer's {@code SO_PEERCRED}); the client checks that the socket's
 * directory and file belong to the target's user, that the peer runs as that user, and that the
 * listening socket is held by the target process.
 *
 * <p>One request per connection: the client writes a message, the agent answers with one and
 * closes. A message is a JSON header and a binary payload ({@link
 * io.jsplice.protocol.channel.FrameChannel}). The header of a request is {@code {"op": WORD, ...}}
 * with the fields of its {@link Request} record; the payload is empty except for {@code apply},
 * where it is the signed update file. A reply is {@code {"ok": true, ...}} with the fields of the
 * op's reply record, or {@code {"ok": false, "cause": CAUSE, "message": LINE}} ({@link Failure}).
 *
 * <p>A request may ask for heartbeats: {@code "beatMillis": N} in its header. While the op runs,
 * the agent then writes {@code {"working": true}} about every N ms before its reply, so that a
 * client waits through a long apply (a busy machine, a large heap) as long as the agent is alive,
 * and gives up only on silence. An agent that does not know the field ignores it and sends no
 * heartbeat; a client that does not ask gets none.
 *
 * <p>A request may ask for a receipt: {@code "ack": true} in its header. The agent then writes a
 * heartbeat as soon as it has read the whole request, before the op runs, and runs the op only if
 * that write succeeds: a client that gave up waiting for the receipt and closed the connection has
 * its request dropped, never run. So a client can send an apply without a status probe before it
 * (one round trip) and still tell, within a few seconds, an agent that answers from a socket that
 * takes connections but where nothing reads them; when nothing came back it knows the op did not
 * run on a newer agent. An agent that does not know the field ignores it (it sends its heartbeats,
 * when asked for, and the reply).
 */
public final class ControlProtocol {
  /** The largest JSON header, either way. */
  public static final int MAX_HEADER = 4 * 1024 * 1024;

  /** The largest payload: an update file. */
  public static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  /**
   * The system property in which the agent states, in one line, why it is loaded but its control
   * channel is not open (or why it failed to start). Absent while the channel is open. Clients read
   * it through the attach API to say what went wrong.
   */
  public static final String PROBLEM_PROPERTY = "jsplice.agent.problem";

  /** The shortest and longest heartbeat interval an agent grants, whatever a client asks. */
  public static final Duration MIN_BEAT = Duration.ofMillis(100);

  public static final Duration MAX_BEAT = Duration.ofMinutes(1);

  private static final String BEAT_FIELD = "beatMillis";
  private static final String ACK_FIELD = "ack";
  private static final String WORKING = "{\"working\":true}";

  private ControlProtocol() {}

  /** The header of {@code request}: {@code op} first, then its fields. */
  public static String encodeRequest(Request<?> request) {
    return encodeRequest(request, null);
  }

  /**
   * The header of {@code request}, asking for a heartbeat every {@code beat} while it runs (none
   * when null).
   */
  public static String encodeRequest(Request<?> request, Duration beat) {
    return encodeRequest(request, beat, false);
  }

  /**
   * The header of {@code request}, asking for a heartbeat every {@code beat} while it runs (none
   * when null) and, with {@code ack}, for a receipt before the op runs ({@link #asksAck}).
   */
  public static String encodeRequest(Request<?> request, Duration beat, boolean ack) {
    JsonObject json =
        JsonObject.empty()
            .with("op", request.op().word())
            .withMissing(RecordCodec.toJson((Record) request));
    if (beat != null) {
      json = json.with(BEAT_FIELD, beat.toMillis());
    }
    if (ack) {
      json = json.with(ACK_FIELD, true);
    }
    return Json.write(json);
  }

  /**
   * Whether a request header asks for a receipt: a heartbeat written as soon as the request is
   * read, before its op runs, which runs only if that write succeeds.
   */
  public static boolean asksAck(JsonObject header) {
    return Boolean.TRUE.equals(header.value(ACK_FIELD));
  }

  /**
   * The heartbeat interval a request header asks for, within {@link #MIN_BEAT} and {@link
   * #MAX_BEAT}; null when it asks for none.
   */
  public static Duration beatInterval(JsonObject header) {
    if (!(header.value(BEAT_FIELD) instanceof Number millis) || millis.longValue() <= 0) {
      return null;
    }
    Duration asked = Duration.ofMillis(millis.longValue());
    return asked.compareTo(MIN_BEAT) < 0
        ? MIN_BEAT
        : asked.compareTo(MAX_BEAT) > 0 ? MAX_BEAT : asked;
  }

  /** The header of a heartbeat: the op is still running. */
  public static String encodeWorking() {
    return WORKING;
  }

  /** Whether a header the agent sent is a heartbeat rather than the reply. */
  public static boolean isWorking(String header) {
    return WORKING.equals(header);
  }

  /**
   * The op a request header names.
   *
   * @throws JsonException if the header is not a JSON object with a string {@code op}
   */
  public static String opWord(JsonObject header) {
    Object op = header.value("op");
    if (!(op instanceof String word)) {
      throw new JsonException("$.op is missing or not a string");
    }
    return word;
  }

  /**
   * Reads a request of a known op.
   *
   * @throws JsonException if a field is missing or mistyped; the message names it
   */
  public static Request<?> decodeRequest(Op op, JsonObject header) {
    return (Request<?>) RecordCodec.fromJson(header, op.requestType(), "$");
  }

  /** A success reply: {@code ok} first, then the reply's fields. */
  public static String encodeReply(Record reply) {
    return Json.write(JsonObject.empty().with("ok", true).withMissing(RecordCodec.toJson(reply)));
  }

  public static String encodeFailure(FailureCause cause, String message) {
    return encodeFailure(cause, message, List.of());
  }

  /** A failure; {@code details}, when there are some, follow the one-line message. */
  public static String encodeFailure(FailureCause cause, String message, List<String> details) {
    return encodeFailure(cause, message, details, null);
  }

  /**
   * A failure; {@code details}, when there are some, follow the one-line message, then {@code
   * leftOut} when not null ({@link Failure#leftOut}).
   */
  public static String encodeFailure(
      FailureCause cause, String message, List<String> details, List<String> leftOut) {
    JsonObject json = failureJson(cause, message, details);
    return Json.write(leftOut == null ? json : json.with("leftOut", List.copyOf(leftOut)));
  }

  /**
   * A failure as the agent answers it and {@code --json} prints it: {@code ok}, {@code cause},
   * {@code message}, then {@code details} when there are some.
   */
  public static JsonObject failureJson(FailureCause cause, String message, List<String> details) {
    JsonObject json =
        JsonObject.empty().with("ok", false).with("cause", cause).with("message", message);
    return details.isEmpty() ? json : json.with("details", List.copyOf(details));
  }

  /**
   * Reads a reply: a {@code type} when it says {@code ok}, else a {@link Failure}. A failure cause
   * this side does not know (a newer agent) reads as {@link FailureCause#INTERNAL}, with the name
   * in the message.
   *
   * @throws JsonException if the reply is malformed
   */
  public static Record decodeReply(String text, Class<? extends Record> type) {
    JsonObject json = JsonObject.parse(text);
    if (Boolean.TRUE.equals(json.value("ok"))) {
      Record reply = RecordCodec.fromJson(json, type, "$");
      // The codec reads an absent list as empty; an agent from before leftOut did not say "none".
      return reply instanceof ApplyReply apply && !json.has("leftOut")
          ? apply.withLeftOut(null)
          : reply;
    }
    String name = json.value("cause") instanceof String s ? s : null;
    String message = json.value("message") instanceof String s ? s : null;
    FailureCause cause = FailureCause.INTERNAL;
    if (name != null) {
      try {
        cause = FailureCause.valueOf(name);
      } catch (IllegalArgumentException newerAgent) {
        message =
            (message == null ? "the agent refused" : message)
                + " (cause "
                + name
                + ", unknown to this jsplice; update it)";
      }
    }
    List<String> details = json.strings("details");
    return new Failure(
        cause,
        message == null ? "the agent refused without a message" : message,
        details,
        json.has("leftOut") ? json.strings("leftOut") : leftOutOfEarlierAgent(cause, details));
  }

  /**
   * The classes an agent from before {@link Failure#leftOut} refused an update for leaving out:
   * that refusal, and only it, listed the update's notes that name them ({@link Update#LEFT_OUT})
   * as its details. Null for any other failure.
   */
  private static List<String> leftOutOfEarlierAgent(FailureCause cause, List<String> details) {
    if (cause != FailureCause.PARTLY_IN_FORCE
        || details.isEmpty()
        || !details.stream().allMatch(d -> d.startsWith(Update.LEFT_OUT))) {
      return null;
    }
    return details.stream().map(Update::leftOutClass).toList();
  }
}
