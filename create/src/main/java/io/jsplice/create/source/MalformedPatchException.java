package io.jsplice.create.source;

/**
 * The diff file is not a unified diff jsplice can use: unreadable, a rename or copy, or it changes
 * no Java source at all.
 */
public final class MalformedPatchException extends SourcePatchException {
  private static final long serialVersionUID = 1L;

  MalformedPatchException(String message) {
    super(message);
  }

  MalformedPatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
