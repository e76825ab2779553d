package io.jsplice.fleet.daemon;

/** The daemon cannot start; the message is one line that says why and what to do. */
public final class DaemonException extends Exception {
  private static final long serialVersionUID = 1L;

  public DaemonException(String message, Throwable cause) {
    super(message, cause);
  }
}
