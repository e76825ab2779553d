package io.jsplice.agent.control;

import io.jsplice.model.control.FailureCause;
import java.util.Objects;

/**
 * A control operation failed for a named reason; the client receives the cause and the message. The
 * message is one line saying what happened and what to do next.
 */
public final class ControlException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause failure;

  public ControlException(FailureCause failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public ControlException(FailureCause failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Never null. */
  public FailureCause failure() {
    return failure;
  }
}
