package io.jsplice.fleet.daemon.agents;

import io.jsplice.model.control.FailureCause;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Reaching a JVM's agent, or what it was asked, failed for a named {@link FailureCause}. The
 * message is one line, as the CLI would print it.
 */
public final class AgentAccessException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Causes worth trying again at a later poll: the JVM may be busy or just starting, or the objects
   * that made the fix only partly in force may be temporaries a request held at that moment (a
   * request in the middle of a DNS lookup holds the builder the old code made): the apply changed
   * nothing, and a JVM that holds such objects for good refuses the same way at every try.
   */
  private static final Set<FailureCause> TRANSIENT =
      EnumSet.of(
          FailureCause.CODE_BUSY,
          FailureCause.AGENT_UNAVAILABLE,
          FailureCause.INTERNAL,
          FailureCause.PARTLY_IN_FORCE);

  private final FailureCause failure;

  public AgentAccessException(FailureCause failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public FailureCause failure() {
    return failure;
  }

  /** The JVM exited (or was never a JVM). */
  public boolean jvmGone() {
    return failure == FailureCause.TARGET_NOT_FOUND;
  }

  /** Whether trying again later may succeed; otherwise the same JVM will refuse the same way. */
  public boolean transientFailure() {
    return TRANSIENT.contains(failure);
  }
}
