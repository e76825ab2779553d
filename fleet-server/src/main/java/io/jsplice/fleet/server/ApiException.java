package io.jsplice.fleet.server;

import io.jsplice.fleet.api.ErrorCode;
import java.util.Objects;

/**
 * A request refused for a reason the caller can act on; answered with its {@link ErrorCode}'s
 * status and an {@link io.jsplice.fleet.api.ApiError} carrying the one-line message.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String cause;

  public ApiException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * @param cause the jsplice failure cause of a refused update; may be null
   */
  public ApiException(ErrorCode code, String message, String cause) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.cause = cause;
  }

  public ErrorCode code() {
    return code;
  }

  /** May be null. */
  public String failureCause() {
    return cause;
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(ErrorCode.CONFLICT, message);
  }
}
