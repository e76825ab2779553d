package io.jsplice.client;

import io.jsplice.model.control.FailureCause;

/** No such process, it exited, or it is not a Java VM ({@code TARGET_NOT_FOUND}, exit 20). */
public final class TargetNotFoundException extends ClientException {
  private static final long serialVersionUID = 1L;

  public TargetNotFoundException(String message) {
    super(FailureCause.TARGET_NOT_FOUND, message, null);
  }

  public TargetNotFoundException(String message, Throwable cause) {
    super(FailureCause.TARGET_NOT_FOUND, message, cause);
  }
}
