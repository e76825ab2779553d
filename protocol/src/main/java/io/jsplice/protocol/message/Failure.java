package io.jsplice.protocol.message;

import io.jsplice.model.control.FailureCause;
import java.util.Objects;

/**
 * The agent's answer when an operation fails: {@code {"ok": false, "cause": ..., "message": ...}}.
 *
 * @param cause the named reason, which gives the CLI its exit code; never null
 * @param message one line: what happened, to what, and what to do next; never null
 */
public record Failure(FailureCause cause, String message) {
  public Failure {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
  }
}
