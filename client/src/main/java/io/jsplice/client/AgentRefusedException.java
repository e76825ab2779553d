package io.jsplice.client;

import io.jsplice.protocol.message.Failure;

/**
 * The agent answered and refused or failed the operation, with its own cause and message (a run-pre
 * mismatch, busy code, an untrusted signer...). The JVM is as it was.
 */
public final class AgentRefusedException extends ClientException {
  private static final long serialVersionUID = 1L;

  public AgentRefusedException(Failure failure) {
    super(failure.cause(), failure.message(), failure.details(), null);
  }
}
