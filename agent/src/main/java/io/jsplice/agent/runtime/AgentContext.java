package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlOps;
import io.jsplice.agent.control.StatusContributor;
import io.jsplice.agent.jmx.AppliedUpdates;
import io.jsplice.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the runtime gives each {@link AgentComponent}: the JVM's {@link Instrumentation}, the
 * options in force, the log, and the places to plug into: control ops, the status reply and the JMX
 * feed of applied updates.
 *
 * <p>Thread-safe. One per JVM.
 */
public final class AgentContext {
  /** Status keys the runtime writes itself; contributions cannot take them. */
  static final Set<String> CORE_STATUS_KEYS =
      Set.of(
          "ok",
          "pid",
          "jvmVersion",
          "jvmVendor",
          "jvmName",
          "agentVersion",
          "startMode",
          "loads",
          "agentStartedAt",
          "agentUptimeMillis",
          "service",
          "stateDir",
          "trust",
          "log",
          "jmx",
          "controlSocket",
          "ops",
          "components");

  private final Instrumentation instrumentation;
  private final StartMode startMode;
  private final AgentLog log;
  private final ControlOps controlOps = new ControlOps();
  private final Map<String, StatusContributor> status = new LinkedHashMap<>(); // guarded by itself
  private volatile AgentOptions options;
  private volatile AppliedUpdates appliedUpdates = AppliedUpdates.NONE;

  AgentContext(
      Instrumentation instrumentation, StartMode startMode, AgentOptions options, AgentLog log) {
    this.instrumentation = instrumentation;
    this.startMode = startMode;
    this.options = options;
    this.log = log;
  }

  /** The JVM's instrumentation, with redefinition and retransformation enabled; never null. */
  public Instrumentation instrumentation() {
    return instrumentation;
  }

  /** The options in force now; a later load of the agent may change them. Never null. */
  public AgentOptions options() {
    return options;
  }

  public StartMode startMode() {
    return startMode;
  }

  /** Never null. */
  public AgentLog log() {
    return log;
  }

  /** Where components register the control channel's operations. */
  public ControlOps controlOps() {
    return controlOps;
  }

  /**
   * Adds {@code contributor}'s part to the status reply, under {@code name}.
   *
   * @throws IllegalArgumentException if the name is taken
   */
  public void addStatus(String name, StatusContributor contributor) {
    Objects.requireNonNull(contributor, "contributor");
    synchronized (status) {
      if (CORE_STATUS_KEYS.contains(name) || status.containsKey(name)) {
        throw new IllegalArgumentException("status key '" + name + "' is taken");
      }
      status.put(name, contributor);
    }
  }

  /** Feeds the JMX attribute {@code AppliedUpdates}; replaces the previous feed. */
  public void feedAppliedUpdates(AppliedUpdates updates) {
    this.appliedUpdates = Objects.requireNonNull(updates, "updates");
  }

  AppliedUpdates appliedUpdates() {
    return appliedUpdates;
  }

  Map<String, StatusContributor> statusContributors() {
    synchronized (status) {
      return new LinkedHashMap<>(status);
    }
  }

  void options(AgentOptions options) {
    this.options = options;
  }
}
