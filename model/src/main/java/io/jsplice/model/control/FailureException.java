package io.jsplice.model.control;

import java.util.Objects;

/**
 * An operation on or in a JVM failed for a named {@link FailureCause}: the engine refused an
 * update, a control op failed, the client could not reach an agent, the CLI could not do what it
 * was asked. One type for one concept, from the engine to the exit code: the cause travels
 * unchanged, and the message is one line saying what happened, to which JVM or update, and what to
 * do next.
 *
 * <p>Not final: where callers act on failures differently, a subclass names each (the client's).
 */
public class FailureException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause failure;

  public FailureException(FailureCause failure, String message) {
    super(message);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public FailureException(FailureCause failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Never null. */
  public FailureCause failure() {
    return failure;
  }
}
