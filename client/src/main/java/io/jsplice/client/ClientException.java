package io.jsplice.client;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.util.List;

/**
 * Reaching or using the agent in a JVM failed for a named reason. The message is one line: what
 * happened, to which JVM, and what to do next; {@link #failure()} gives the CLI its exit code. Each
 * subclass is a failure a caller can act on differently.
 */
public abstract class ClientException extends FailureException {
  private static final long serialVersionUID = 1L;

  ClientException(FailureCause failure, String message, Throwable cause) {
    super(failure, message, cause);
  }

  ClientException(FailureCause failure, String message, List<String> details, Throwable cause) {
    super(failure, message, details, cause);
  }
}
