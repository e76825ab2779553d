package io.jsplice.agent.runtime;

import java.util.Locale;

/** How the agent came into the JVM. */
public enum StartMode {
  /** With {@code -javaagent} on the command line, before {@code main}. */
  PREMAIN,
  /** Loaded later through the attach API. */
  AGENTMAIN;

  /** The name used in status replies and JMX: {@code premain} or {@code agentmain}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
