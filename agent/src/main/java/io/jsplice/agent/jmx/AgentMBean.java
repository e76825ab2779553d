package io.jsplice.agent.jmx;

/**
 * The agent as seen from JMX ({@code io.jsplice:type=Agent}): read-only facts for jconsole,
 * VisualVM and metric exporters. Monitoring only: updates go through the control channel, never
 * through JMX.
 */
public interface AgentMBean {
  /** The agent's version, e.g. {@code 0.1.0}. */
  String getVersion();

  /** {@code premain} or {@code agentmain}. */
  String getStartMode();

  /** The control socket's path, or null when the control channel is not open. */
  String getControlSocket();

  /** The ids of the updates in effect, oldest first; empty when none. */
  String[] getAppliedUpdates();
}
