package io.jsplice.fleet.daemon.agents;

import io.jsplice.model.control.FailureCause;
import java.util.EnumSet;
import java.util.List;
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
   * nothing, and a JVM that holds such objects for good refuses the same way at every try. Not the
   * refusal of an update for the classes it leaves out ({@link #leftOut()}), which is the same at
   * every try.
   */
  private static final Set<FailureCause> TRANSIENT =
      EnumSet.of(
          FailureCause.CODE_BUSY,
          FailureCause.AGENT_UNAVAILABLE,
          FailureCause.INTERNAL,
          FailureCause.PARTLY_IN_FORCE);

  private final FailureCause failure;
  private final List<String> leftOut;

  public AgentAccessException(FailureCause failure, String message, Throwable cause) {
    this(failure, message, null, cause);
  }

  /**
   * @param leftOut the classes of the fixed release the update leaves out, when the JVM refused it
   *     for that ({@link FailureCause#PARTLY_IN_FORCE}); null otherwise
   */
  public AgentAccessException(
      FailureCause failure, String message, List<String> leftOut, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.leftOut = leftOut == null ? null : List.copyOf(leftOut);
  }

  public FailureCause failure() {
    return failure;
  }

  /** The JVM exited (or was never a JVM). */
  public boolean jvmGone() {
    return failure == FailureCause.TARGET_NOT_FOUND;
  }

  /**
   * The classes of the fixed release the update leaves out, when the JVM refused it for leaving
   * them out and the caller had not accepted that; null for any other failure.
   */
  public List<String> leftOut() {
    return leftOut;
  }

  /** Whether trying again later may succeed; otherwise the same JVM will refuse the same way. */
  public boolean transientFailure() {
    return leftOut == null && TRANSIENT.contains(failure);
  }
}
