package io.jsplice.agent.engine;

import io.jsplice.model.control.FailureCause;

/** A refused or failed operation, with its named cause; the JVM is left as it was. */
public final class EngineException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause cause;

  public EngineException(FailureCause cause, String message) {
    super(message);
    this.cause = cause;
  }

  public EngineException(FailureCause cause, String message, Throwable underlying) {
    super(message, underlying);
    this.cause = cause;
  }

  public FailureCause failureCause() {
    return cause;
  }
}
