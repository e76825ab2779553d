package io.jsplice.model.record;

import java.io.IOException;

/** A service record that is not readable as one: malformed, or of an unknown format. */
public final class CorruptRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }

  public CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
