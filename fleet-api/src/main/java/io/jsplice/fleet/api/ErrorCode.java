package io.jsplice.fleet.api;

/** The kinds of error the API answers with, each with its HTTP status. */
public enum ErrorCode {
  /** No credentials, or credentials the server does not know. */
  UNAUTHENTICATED(401),
  /** Known credentials that may not do this (a host secret on an admin route, ...). */
  FORBIDDEN(403),
  /** The host is deactivated: no update list, no package. */
  HOST_DEACTIVATED(403),
  /** The host waits for an admin to activate it. */
  HOST_PENDING(403),
  /** No such host, update, group or route. */
  NOT_FOUND(404),
  /** The request's JSON or parameters are malformed or invalid. */
  BAD_REQUEST(400),
  /** The body exceeds the route's limit. */
  TOO_LARGE(413),
  /** The request conflicts with what exists (a name taken, an id with other content). */
  CONFLICT(409),
  /** The uploaded update is not signed by a key the server trusts, or is damaged. */
  UPDATE_REJECTED(422),
  /** The server failed; the message says how. */
  INTERNAL(500),
  /** The database is not reachable. */
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
