package io.jsplice.agent.control;

import java.io.IOException;

/**
 * The control socket's directory is not private to the JVM's user, so the agent refuses to open the
 * control channel: a socket in it could be replaced or reached by another user. The message says
 * what is wrong and how to fix it.
 */
public final class InsecureSocketDirectoryException extends IOException {
  private static final long serialVersionUID = 1L;

  public InsecureSocketDirectoryException(String message) {
    super(message);
  }
}
