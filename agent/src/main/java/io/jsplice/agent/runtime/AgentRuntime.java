package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlServer;
import io.jsplice.agent.jmx.AgentMBeans;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.StatusRequest;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The agent inside one JVM: opens the log, starts the {@link AgentComponent}s, opens the control
 * channel, registers the MBean, and takes the options of later loads of the agent jar.
 *
 * <p>One per JVM: the launcher ({@code io.jsplice.agent.launch}) calls {@link #start} through
 * {@code io.jsplice.bootstrap.RunningAgent}, which serializes starts and reloads.
 */
public final class AgentRuntime {
  private final AgentContext context;
  private final List<AgentComponent> components;
  private final String version = AgentVersion.current();
  private final Instant startedAt = Instant.now();
  private final AtomicInteger loads = new AtomicInteger(1);
  private final Map<String, String> componentStates = new LinkedHashMap<>(); // guarded by itself
  private volatile ControlServer control; // null while the channel is closed

  private AgentRuntime(AgentContext context, List<AgentComponent> components) {
    this.context = context;
    this.components = components;
  }

  /**
   * Starts the agent. Called once per JVM, reflectively, by the launcher; never throws for a
   * problem of the JVM's environment (a missing directory, a socket it cannot open): those are
   * logged and the agent runs without the failed part.
   *
   * @param instrumentation the JVM's instrumentation; never null
   * @param options the raw agent options; may be null
   * @param atStartup true under {@code -javaagent} ({@code premain}), false when attached
   * @return what accepts the raw options of each later load of the agent jar; never null
   */
  public static Consumer<String> start(
      Instrumentation instrumentation, String options, boolean atStartup) {
    return startWith(instrumentation, options, atStartup, Components.installed())::reload;
  }

  static AgentRuntime startWith(
      Instrumentation instrumentation,
      String rawOptions,
      boolean atStartup,
      List<AgentComponent> components) {
    AgentOptions options = AgentOptions.parse(rawOptions);
    AgentLog log = openLog(options);
    StartMode mode = atStartup ? StartMode.PREMAIN : StartMode.AGENTMAIN;
    AgentRuntime runtime =
        new AgentRuntime(new AgentContext(instrumentation, mode, options, log), components);
    log.info(
        "jsplice agent "
            + runtime.version
            + " starting ("
            + mode.label()
            + ") in Java "
            + Runtime.version()
            + " with options '"
            + (rawOptions == null ? "" : rawOptions)
            + "'");
    options.warnings().forEach(log::warn);
    runtime.context.controlOps().register(Op.STATUS, StatusRequest.class, new StatusOp(runtime));
    runtime.startComponents();
    runtime.openControlChannel();
    runtime.removeSocketOnExit();
    if (options.jmx()) {
      runtime.registerMBean();
    }
    return runtime;
  }

  /** Takes the options of a later load: logs them, applies what may change, retries the channel. */
  void reload(String rawOptions) {
    AgentLog log = context.log();
    int load = loads.incrementAndGet();
    AgentOptions options = context.options().reloadedWith(rawOptions);
    log.info(
        "agent loaded again (load "
            + load
            + ") with options '"
            + (rawOptions == null ? "" : rawOptions)
            + "'; the running agent takes them");
    options.warnings().forEach(log::warn);
    context.options(options);
    for (AgentComponent component : components) {
      try {
        component.optionsChanged(options);
      } catch (RuntimeException e) {
        log.error("component '" + component.name() + "' failed to take the new options", e);
      }
    }
    ControlServer current = control;
    if (current == null || !current.isOpen()) {
      openControlChannel();
    }
  }

  /** Closes the control channel; for the shutdown hook and tests. Never blocks. */
  void shutdown() {
    ControlServer current = control;
    control = null;
    if (current != null) {
      current.close();
    }
  }

  AgentContext context() {
    return context;
  }

  String version() {
    return version;
  }

  Instant startedAt() {
    return startedAt;
  }

  int loads() {
    return loads.get();
  }

  /** The socket's path, or null while the channel is closed. */
  String controlSocket() {
    ControlServer current = control;
    return current == null || !current.isOpen() ? null : current.socketFile().toString();
  }

  Map<String, String> componentStates() {
    synchronized (componentStates) {
      return new LinkedHashMap<>(componentStates);
    }
  }

  private static AgentLog openLog(AgentOptions options) {
    if (options.logToStderr()) {
      return AgentLog.toStderr();
    }
    try {
      return AgentLog.toFile(options.logFile());
    } catch (IOException | RuntimeException e) {
      return AgentLog.discarding("cannot write " + options.logFile() + ": " + e);
    }
  }

  private void startComponents() {
    for (AgentComponent component : components) {
      String state;
      try {
        component.start(context);
        state = "started";
      } catch (Exception | LinkageError e) {
        context
            .log()
            .error(
                "component '"
                    + component.name()
                    + "' failed to start; the agent runs on without it",
                e);
        state = "failed: " + e;
      }
      synchronized (componentStates) {
        componentStates.put(component.name(), state);
      }
    }
  }

  private void openControlChannel() {
    AgentLog log = context.log();
    try {
      control = ControlServer.openForThisJvm(context.controlOps(), log);
      System.clearProperty(ControlProtocol.PROBLEM_PROPERTY);
    } catch (IOException | RuntimeException | LinkageError e) {
      String problem = "the jsplice agent's control channel is not open: " + e.getMessage();
      log.error(problem, e);
      System.setProperty(ControlProtocol.PROBLEM_PROPERTY, problem);
    }
  }

  private void removeSocketOnExit() {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "jsplice-shutdown"));
    } catch (IllegalStateException exiting) {
      // The JVM is shutting down already; its exit removes nothing we need.
    }
  }

  private void registerMBean() {
    try {
      AgentMBeans.registerInBackground(
          version,
          context.startMode().label(),
          this::controlSocket,
          context::appliedUpdates,
          context.log());
    } catch (LinkageError e) {
      context.log().warn("no MBean: " + e + " (monitoring only; updates work)");
    }
  }
}
