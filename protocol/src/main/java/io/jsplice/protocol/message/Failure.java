package io.jsplice.protocol.message;

import io.jsplice.model.control.FailureCause;
import java.util.List;
import java.util.Objects;

/**
 * The agent's answer when an operation fails: {@code {"ok": false, "cause": ..., "message": ...,
 * "details": [...], "leftOut": [...]}}, {@code details} only when there are some, {@code leftOut}
 * only for the refusal it names.
 *
 * @param cause the named reason, which gives the CLI its exit code; never null
 * @param message one line: what happened, to what, and what to do next; never null
 * @param details every part of what happened, one line each, when the message only names the first;
 *     never null
 * @param leftOut when the apply was refused ({@link FailureCause#PARTLY_IN_FORCE}) because the
 *     update leaves out classes of the fixed release (a live subset) and the caller did not accept
 *     that: those classes, dotted names. The same JVM refuses the same update the same way at every
 *     try, unlike state that stays old, which may be temporaries held at that moment. Null for
 *     every other failure. An agent from before this field named them only in {@code details}
 *     ({@link io.jsplice.protocol.ControlProtocol#decodeReply} reads them from there).
 */
public record Failure(
    FailureCause cause, String message, List<String> details, List<String> leftOut) {
  public Failure {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
    details = List.copyOf(details);
    leftOut = leftOut == null ? null : List.copyOf(leftOut);
  }

  public Failure(FailureCause cause, String message, List<String> details) {
    this(cause, message, details, null);
  }

  public Failure(FailureCause cause, String message) {
    this(cause, message, List.of(), null);
  }
}
