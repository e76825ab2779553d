package io.jsplice.model.signing;

import java.nio.file.Path;

/** The update is validly signed, but by a key that is not among the configured trusted keys. */
public final class UntrustedSignerException extends UpdateRejectedException {
  private static final long serialVersionUID = 1L;

  public UntrustedSignerException(Path file, String message) {
    super(file, message, null);
  }
}
