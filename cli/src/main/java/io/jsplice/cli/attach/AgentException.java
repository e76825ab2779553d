package io.jsplice.cli.attach;

import io.jsplice.model.control.FailureCause;
import java.util.Objects;

/**
 * An operation on a JVM's agent failed for a named reason. The message is one line: what happened,
 * to which JVM, and what to do next; {@link #failure()} gives the CLI its exit code.
 */
public final class AgentException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause failure;

  public AgentException(FailureCause failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public AgentException(FailureCause failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Never null. */
  public FailureCause failure() {
    return failure;
  }
}
