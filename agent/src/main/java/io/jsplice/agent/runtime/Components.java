package io.jsplice.agent.runtime;

import java.util.List;

/** The components the runtime starts, in order. */
final class Components {
  private Components() {}

  static List<AgentComponent> installed() {
    return List.of(
        new io.jsplice.agent.engine.EngineComponent(),
        new io.jsplice.agent.monitor.MonitorComponent());
  }
}
