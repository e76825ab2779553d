package io.jsplice.client;

import io.jsplice.model.control.FailureCause;

/** The caller asked for something that cannot be done as asked ({@code BAD_REQUEST}, exit 2). */
public final class BadRequestException extends ClientException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(FailureCause.BAD_REQUEST, message, null);
  }
}
