package io.jsplice.fleet.daemon.state;

/** The state directory could be written by someone other than the daemon's user; it is refused. */
public final class UnsafeStateException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsafeStateException(String message) {
    super(message);
  }
}
