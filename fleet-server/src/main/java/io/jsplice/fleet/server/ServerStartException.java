package io.jsplice.fleet.server;

/** The server could not start; the message is one line that says why and what to do. */
public final class ServerStartException extends Exception {
  private static final long serialVersionUID = 1L;

  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
