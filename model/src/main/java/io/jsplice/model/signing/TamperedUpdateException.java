package io.jsplice.model.signing;

import java.nio.file.Path;

/** The update's content does not match its signature: it was changed after it was signed. */
public final class TamperedUpdateException extends UpdateRejectedException {
  private static final long serialVersionUID = 1L;

  public TamperedUpdateException(Path file, String message, Throwable cause) {
    super(file, message, cause);
  }
}
