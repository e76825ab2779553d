package io.jsplice.model.signing;

import java.nio.file.Path;

/** The file is not a readable jsplice update: truncated, not a JAR, or a malformed descriptor. */
public final class CorruptUpdateException extends UpdateRejectedException {
  private static final long serialVersionUID = 1L;

  public CorruptUpdateException(Path file, String message, Throwable cause) {
    super(file, message, cause);
  }
}
