package io.jsplice.client;

import io.jsplice.model.control.FailureCause;
import java.util.Objects;

/**
 * Reaching or using the agent in a JVM failed for a named reason. The message is one line: what
 * happened, to which JVM, and what to do next; {@link #failure()} gives the CLI its exit code. Each
 * subclass is a failure a caller can act on differently.
 */
public abstract class ClientException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause failure;

  ClientException(FailureCause failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Never null. */
  public FailureCause failure() {
    return failure;
  }
}
