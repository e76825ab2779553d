package io.jsplice.fleet.api.client;

import io.jsplice.fleet.api.ApiError;
import io.jsplice.fleet.api.ErrorCode;

/**
 * A request to the fleet server failed: it could not be sent or answered, or the server refused it
 * with an {@link ApiError}. The message is one line: what happened and what to do next.
 */
public final class FleetException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The failure's nature, which decides what a caller does next. */
  public enum Kind {
    /** No answer: connection refused, reset, timed out. Worth retrying later. */
    UNREACHABLE,
    /** The credentials are missing or unknown to the server. */
    UNAUTHENTICATED,
    /** The credentials may not do this (includes a deactivated or pending host). */
    FORBIDDEN,
    /** No such host, update, group or route. */
    NOT_FOUND,
    /** The server refused the request as malformed, too large, conflicting or unsigned. */
    REFUSED,
    /** The server failed (5xx). Worth retrying later. */
    SERVER_ERROR
  }

  private final Kind kind;
  private final int status;
  private final transient ApiError error;

  public FleetException(Kind kind, int status, ApiError error, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.error = error;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The server's error body; null when there was none (no answer, or not JSON). */
  public ApiError error() {
    return error;
  }

  /** Whether the server answered with this error code. */
  public boolean is(ErrorCode code) {
    return error != null && error.error() == code;
  }

  /** Whether trying again later may succeed. */
  public boolean transientFailure() {
    return kind == Kind.UNREACHABLE || kind == Kind.SERVER_ERROR;
  }
}
