package io.jsplice.agent.runtime;

import java.util.List;

/** The components the runtime starts, in order. */
final class Components {
  private Components() {}

  /** The update engine (io.jsplice.agent.engine) adds itself here. */
  static List<AgentComponent> installed() {
    return List.of();
  }
}
