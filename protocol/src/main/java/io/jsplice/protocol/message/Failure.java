package io.jsplice.protocol.message;

import io.jsplice.model.control.FailureCause;
import java.util.List;
import java.util.Objects;

/**
 * The agent's answer when an operation fails: {@code {"ok": false, "cause": ..., "message": ...,
 * "details": [...]}}, {@code details} only when there are some.
 *
 * @param cause the named reason, which gives the CLI its exit code; never null
 * @param message one line: what happened, to what, and what to do next; never null
 * @param details every part of what happened, one line each, when the message only names the first;
 *     never null
 */
public record Failure(FailureCause cause, String message, List<String> details) {
  public Failure {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
    details = List.copyOf(details);
  }

  public Failure(FailureCause cause, String message) {
    this(cause, message, List.of());
  }
}
