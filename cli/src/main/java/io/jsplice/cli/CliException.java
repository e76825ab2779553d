package io.jsplice.cli;

import io.jsplice.model.control.FailureCause;

/**
 * A failure the CLI reports as one line on stderr (or a JSON object with {@code --json}) and an
 * exit code taken from its {@link FailureCause}.
 */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FailureCause cause;

  public CliException(FailureCause cause, String message) {
    super(message);
    this.cause = cause;
  }

  public CliException(FailureCause cause, String message, Throwable underlying) {
    super(message, underlying);
    this.cause = cause;
  }

  public FailureCause failureCause() {
    return cause;
  }
}
