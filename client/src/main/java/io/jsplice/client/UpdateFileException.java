package io.jsplice.client;

import io.jsplice.model.control.FailureCause;

/**
 * The client refused an update file before touching any JVM: unreadable, too large, damaged,
 * unsigned, tampered with, or signed by a key the caller does not trust. {@link #failure()} says
 * which ({@code CORRUPT_UPDATE}, {@code NOT_SIGNED}, {@code SIGNATURE_MISMATCH}, {@code
 * UNTRUSTED_SIGNER}).
 */
public final class UpdateFileException extends ClientException {
  private static final long serialVersionUID = 1L;

  public UpdateFileException(FailureCause failure, String message, Throwable cause) {
    super(failure, message, cause);
  }
}
