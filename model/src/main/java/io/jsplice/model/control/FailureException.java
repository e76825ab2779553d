package io.jsplice.model.control;

import java.util.List;
import java.util.Objects;

/**
 * An operation on or in a JVM failed for a named {@link FailureCause}: the engine refused an
 * update, a control op failed, the client could not reach an agent, the CLI could not do what it
 * was asked. One type for one concept, from the engine to the exit code: the cause travels
 * unchanged, and the message is one line saying what happened, to which JVM or update, and what to
 * do next. Where what happened has many parts (every piece of state an update would leave old), the
 * message names the first and counts the rest, and {@link #details()} lists them all, one line
 * each, for {@code --verbose} and {@code --json}.
 *
 * <p>Not final: where callers act on failures differently, a subclass names each (the client's).
 */
public class FailureException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause failure;
  private final List<String> details;

  public FailureException(FailureCause failure, String message) {
    this(failure, message, List.of(), null);
  }

  public FailureException(FailureCause failure, String message, Throwable cause) {
    this(failure, message, List.of(), cause);
  }

  /**
   * @param details every part of what happened, one line each; the message stays one line
   */
  public FailureException(
      FailureCause failure, String message, List<String> details, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.details = List.copyOf(details);
  }

  /** Never null. */
  public FailureCause failure() {
    return failure;
  }

  /** Every part of what happened, one line each; empty when the message says it all. */
  public List<String> details() {
    return details;
  }
}
