package io.jsplice.model.json;

/** Malformed JSON, or a value that has no JSON form. The message names the offset. */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
