package io.jsplice.model.signing;

import java.io.IOException;

/** An update file's zip structure is damaged or ambiguous, or larger than its limits allow. */
final class ZipFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean overLimit;

  private ZipFormatException(String message, boolean overLimit) {
    super(message);
    this.overLimit = overLimit;
  }

  /** Damaged, truncated or ambiguous. */
  static ZipFormatException damaged(String message) {
    return new ZipFormatException(message, false);
  }

  /** Larger than an {@link UpdateLimits} allows. */
  static ZipFormatException overLimit(String message) {
    return new ZipFormatException(message, true);
  }

  boolean overLimit() {
    return overLimit;
  }
}
