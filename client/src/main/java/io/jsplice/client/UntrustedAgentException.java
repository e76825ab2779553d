package io.jsplice.client;

/**
 * Something answers where the agent should, but it is not provably the target JVM's agent: its
 * socket's directory or file belongs to another user or is open to others, the peer runs as another
 * user, or the listening socket is not held by the target process. Nothing is sent to it, and no
 * answer of it is believed ({@code AGENT_UNAVAILABLE}, exit 21).
 */
public final class UntrustedAgentException extends AgentUnavailableException {
  private static final long serialVersionUID = 1L;

  public UntrustedAgentException(String message) {
    super(message);
  }
}
