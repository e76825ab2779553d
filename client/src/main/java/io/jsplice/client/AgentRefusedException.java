package io.jsplice.client;

import io.jsplice.protocol.message.Failure;

/**
 * The agent answered and refused or failed the operation, with its own cause and message (a run-pre
 * mismatch, busy code, an untrusted signer...). The JVM is as it was.
 */
public final class AgentRefusedException extends ClientException {
  private static final long serialVersionUID = 1L;

  private final java.util.List<String> leftOut;

  public AgentRefusedException(Failure failure) {
    super(failure.cause(), failure.message(), failure.details(), null);
    this.leftOut = failure.leftOut();
  }

  /**
   * The classes of the fixed release the update leaves out, when that is why the apply was refused
   * ({@link Failure#leftOut}): the same JVM refuses it the same way at every try. Null otherwise.
   */
  public java.util.List<String> leftOut() {
    return leftOut;
  }
}
