package io.jsplice.model.signing;

import java.nio.file.Path;

/** The update carries no signature, or some of its content is not covered by one. */
public final class UnsignedUpdateException extends UpdateRejectedException {
  private static final long serialVersionUID = 1L;

  public UnsignedUpdateException(Path file, String message) {
    super(file, message, null);
  }
}
