package io.jsplice.model.signing;

import java.nio.file.Path;

/**
 * An update file that must not be applied. Subclasses name the precise reason; the message is one
 * line that says which file and what to do next.
 */
public abstract class UpdateRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  protected UpdateRejectedException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The rejected file; may be null when the update came from memory. */
  public Path file() {
    return file;
  }
}
