package io.jsplice.create.source;

/**
 * A source patch could not be turned into compiled pre and post classes. Each subclass is one cause
 * the user acts on differently; messages name the diff, file and line where there is one.
 */
public abstract class SourcePatchException extends Exception {
  private static final long serialVersionUID = 1L;

  SourcePatchException(String message) {
    super(message);
  }

  SourcePatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
