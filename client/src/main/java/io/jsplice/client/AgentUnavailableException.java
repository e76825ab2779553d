package io.jsplice.client;

import io.jsplice.model.control.FailureCause;

/**
 * The agent is absent, cannot be loaded, cannot be reached by this user, or does not answer ({@code
 * AGENT_UNAVAILABLE}, exit 21).
 */
public class AgentUnavailableException extends ClientException {
  private static final long serialVersionUID = 1L;

  public AgentUnavailableException(String message) {
    super(FailureCause.AGENT_UNAVAILABLE, message, null);
  }

  public AgentUnavailableException(String message, Throwable cause) {
    super(FailureCause.AGENT_UNAVAILABLE, message, cause);
  }
}
