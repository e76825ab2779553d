package io.jsplice.agent.heap;

/** The heap of this JVM cannot be walked: the native library did not load, or JVMTI refused. */
public final class HeapUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public HeapUnavailableException(String message) {
    super(message);
  }

  public HeapUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
