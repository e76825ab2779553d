package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlServer;
import io.jsplice.agent.control.SignatureWarmUp;
import io.jsplice.agent.jmx.AgentMBeans;
import io.jsplice.agent.jmx.JmxStart;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.message.Op;
import io.jsplice.protocol.message.StatusRequest;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent inside one JVM: opens the log, takes the agent's place in the JVM's chain of
 * transformers ({@link TransformerChain}), opens the control channel, starts the {@link
 * AgentComponent}s, registers the MBean, and takes the options of later loads of the agent jar.
 *
 * <p>When the components start depends on why the agent is there ({@link ComponentStart}): under
 * {@code -javaagent} with nothing recorded to apply again, the agent is a guest that has nothing to
 * do until someone asks, so its components (the engine, ASM, the model, JMX) wait for the first
 * request that needs them; the status op answers without them. Under {@code -javaagent} with
 * recorded updates, the components only prepare in {@code premain} (the engine holds back the
 * classes of those updates) and start beside the application's start, on a daemon thread; the
 * control channel opens at once, and a request for an op they serve waits until they started.
 * Loaded into a running JVM, they start at once, on a daemon thread as soon as the control channel
 * is open ({@link ComponentStart#ONCE_THE_CHANNEL_IS_OPEN}). The MBean registers once the
 * components started and JMX was started by someone else ({@link JmxStart}).
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
  // Opening and closing the channel, one at a time, so that the JVM's exit, which closes it, and a
  // load of the agent jar that reopens it never leave a socket behind.
  private final Object channel = new Object();
  private boolean exiting; // guarded by channel: the JVM runs its shutdown hooks
  private boolean statusOpRegistered; // guarded by channel
  private Supplier<String> codeChanged = new Unchanged(); // set once, before the channel opens
  // Components start (on the control thread, maybe) and take new options (on the attach thread)
  // one at a time, as AgentComponent promises them.
  private final Object lifecycle = new Object();
  private boolean componentsPrepared; // guarded by lifecycle
  private boolean componentsStarted; // guarded by lifecycle
  private final Set<AgentComponent> unprepared = new HashSet<>(); // guarded by lifecycle
  private final CountDownLatch started = new CountDownLatch(1); // the start's last step is done

  /** When the components start. */
  enum ComponentStart {
    /** While the runtime starts, on the thread that loads it. */
    AT_ONCE,
    /**
     * Prepared while the runtime starts, then started on a daemon thread beside the application's
     * start; a request for an op they serve waits for them.
     */
    BESIDE_THE_APPLICATION,
    /** At the first control request for an op that only they serve. */
    AT_FIRST_REQUEST,
    /**
     * Prepared while the runtime starts, then started on a daemon thread once the control channel
     * is open: an attach returns to its client without waiting for them, and they start while the
     * client connects and sends its request, which waits for them if it needs them.
     */
    ONCE_THE_CHANNEL_IS_OPEN
  }

  private AgentRuntime(AgentContext context, List<AgentComponent> components) {
    this.context = context;
    this.components = components;
  }

  /**
   * Starts the agent. Called once per JVM, by the launcher through {@link LauncherEntry}; never
   * throws for a problem of the JVM's environment (a missing directory, a socket it cannot open):
   * those are logged and the agent runs without the failed part.
   *
   * @param instrumentation the JVM's instrumentation; never null
   * @param options the raw agent options; may be null
   * @param atStartup true under {@code -javaagent} ({@code premain}), false when attached
   * @return what accepts the raw options of each later load of the agent jar; never null
   */
  public static Consumer<String> start(
      Instrumentation instrumentation, String options, boolean atStartup) {
    return start(instrumentation, options, atStartup, new Unchanged());
  }

  /**
   * As {@link #start(Instrumentation, String, boolean)}, with what tells whether the agent jar this
   * runtime's code is read from changed under it.
   *
   * @param codeChanged null while the agent jar is as the JVM opened it; otherwise one line saying
   *     it was overwritten in place, with which the control channel then refuses every request (the
   *     rest of the runtime cannot be read from it); called on the control thread
   */
  public static Consumer<String> start(
      Instrumentation instrumentation,
      String options,
      boolean atStartup,
      Supplier<String> codeChanged) {
    AgentOptions parsed = AgentOptions.parse(options);
    ComponentStart when = componentStart(atStartup, parsed);
    // What the first socket costs the JDK (its security providers, which the recorded updates'
    // SHA-256 checks need too) on a thread of its own, meanwhile.
    ControlServer.prepareInBackground();
    if (!atStartup) {
      // Attached to apply an update: its signature check's JDK code, while the channel opens.
      SignatureWarmUp.startInBackground();
    }
    // The channel opens before this returns, under -javaagent too. Opened on a thread of its own
    // beside the application's start, the agent jar's classes it loaded there were exposed to a jar
    // overwritten in place meanwhile: the channel then accepted a request and never answered
    // (ApplyFailuresIT, fresh-clone CI, JDK 25), instead of refusing with AgentJarIdentity's line.
    // And the CPU it saved was mostly the JDK's socket support, which the application's own
    // sockets pay for anyway.
    return new Reload(
        startWith(
            instrumentation,
            options,
            parsed,
            atStartup,
            Components.installed(),
            when,
            codeChanged));
  }

  /** When the components start in a runtime started with {@code options}. */
  static ComponentStart componentStart(boolean atStartup, AgentOptions options) {
    if (!atStartup) {
      return ComponentStart.ONCE_THE_CHANNEL_IS_OPEN;
    } else if (hasRecord(options)) {
      return ComponentStart.BESIDE_THE_APPLICATION;
    } else {
      return ComponentStart.AT_FIRST_REQUEST;
    }
  }

  /**
   * Whether the service named in {@code options} has a record, whose updates must be applied again
   * as their classes load, so from the first class on. Read as a file's presence: parsing it is the
   * engine's job.
   */
  private static boolean hasRecord(AgentOptions options) {
    return options.service() != null
        && Files.exists(ServiceRecordStore.at(options.stateDir(), options.service()).recordFile());
  }

  static AgentRuntime startWith(
      Instrumentation instrumentation,
      String rawOptions,
      boolean atStartup,
      List<AgentComponent> components) {
    return startWith(instrumentation, rawOptions, atStartup, components, ComponentStart.AT_ONCE);
  }

  static AgentRuntime startWith(
      Instrumentation instrumentation,
      String rawOptions,
      boolean atStartup,
      List<AgentComponent> components,
      ComponentStart when) {
    return startWith(instrumentation, rawOptions, atStartup, components, when, new Unchanged());
  }

  static AgentRuntime startWith(
      Instrumentation instrumentation,
      String rawOptions,
      boolean atStartup,
      List<AgentComponent> components,
      ComponentStart when,
      Supplier<String> codeChanged) {
    return startWith(
        instrumentation,
        rawOptions,
        AgentOptions.parse(rawOptions),
        atStartup,
        components,
        when,
        codeChanged);
  }

  private static AgentRuntime startWith(
      Instrumentation instrumentation,
      String rawOptions,
      AgentOptions options,
      boolean atStartup,
      List<AgentComponent> components,
      ComponentStart when,
      Supplier<String> codeChanged) {
    AgentLog log = openLog(options);
    StartMode mode = atStartup ? StartMode.PREMAIN : StartMode.AGENTMAIN;
    AgentRuntime runtime =
        new AgentRuntime(new AgentContext(instrumentation, mode, options, log), components);
    runtime.codeChanged = codeChanged;
    log.info(
        "jsplice agent "
            + runtime.version
            + " starting ("
            + mode.label()
            + ") in Java "
            // Runtime.version()'s text, without the streams its toString() runs in premain.
            + System.getProperty("java.runtime.version", "")
            + " with options '"
            + (rawOptions == null ? "" : rawOptions)
            + "'");
    for (String warning : options.warnings()) {
      log.warn(warning);
    }
    TransformerChain chain = runtime.context.transformers();
    if (instrumentation != null) {
      chain.takePlace(instrumentation);
    }
    runtime.registerStatusOp();
    switch (when) {
      case AT_ONCE -> runtime.startComponents();
      case BESIDE_THE_APPLICATION, ONCE_THE_CHANNEL_IS_OPEN -> runtime.prepareComponents();
      case AT_FIRST_REQUEST -> runtime.awaitFirstRequest();
    }
    runtime.openControlChannel();
    runtime.removeSocketOnExit();
    if (when == ComponentStart.BESIDE_THE_APPLICATION && runtime.componentsMayWait()) {
      runtime.awaitFirstRequestOrAsk();
      runtime.started.countDown();
    } else if (when == ComponentStart.BESIDE_THE_APPLICATION) {
      runtime.startBesideTheApplication("starting beside the application");
    } else if (when == ComponentStart.ONCE_THE_CHANNEL_IS_OPEN) {
      runtime.startBesideTheApplication("starting");
    } else {
      runtime.started.countDown();
    }
    // Nothing to apply again: no class load needs to reach the agent until a component appends a
    // transformer (the MBean's watch for JMX waits for the components too).
    chain.leaveWhileIdle();
    return runtime;
  }

  /**
   * Waits until the runtime's start is done: its components started, unless they wait for the first
   * request. For tests; returns at once unless they start {@link
   * ComponentStart#BESIDE_THE_APPLICATION} or {@link ComponentStart#ONCE_THE_CHANNEL_IS_OPEN}.
   */
  void awaitStart() throws InterruptedException {
    started.await();
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
    synchronized (lifecycle) {
      // Components not started yet start with the options in force then.
      for (AgentComponent component : componentsStarted ? components : List.<AgentComponent>of()) {
        try {
          component.optionsChanged(options);
        } catch (RuntimeException e) {
          log.error("component '" + component.name() + "' failed to take the new options", e);
        }
      }
    }
    ControlServer current = control;
    if (current == null || !current.isOpen()) {
      openControlChannel();
    }
  }

  /**
   * Closes the control channel; for tests. Blocks at most while a channel is being bound ({@link
   * #openControlChannel}), never for a request in progress.
   */
  void shutdown() {
    synchronized (channel) {
      ControlServer current = control;
      control = null;
      if (current != null) {
        current.close();
      }
    }
  }

  /** The shutdown hook: closes the channel, and no channel opens after it. */
  private void exit() {
    synchronized (channel) {
      exiting = true;
    }
    shutdown();
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
    Map<String, String> states;
    synchronized (componentStates) {
      states = new LinkedHashMap<>(componentStates);
    }
    for (AgentComponent component : components) {
      String state = states.get(component.name());
      if (state != null && !state.equals("started") && !state.startsWith("failed")) {
        String waiting = component.waitingState();
        if (waiting != null) {
          states.put(component.name(), waiting);
        }
      }
    }
    return states;
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

  /**
   * Starts the components on a daemon thread of its own, beside the application's start, after
   * {@link #prepareComponents}; on the calling thread if no thread can be started. Until they
   * started, a request for an op only they serve waits for them; the status op says so ({@code
   * state}).
   */
  private void startBesideTheApplication(String state) {
    setStates(state);
    context.controlOps().whenMissing(new StartComponents(this));
    Runnable start = new StartAndCountDown(this);
    Thread thread = new Thread(start, "jsplice-start");
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      context.log().warn("cannot start beside the application (" + e + "); starting now");
      start.run();
    }
  }

  private void setStates(String state) {
    synchronized (componentStates) {
      for (AgentComponent component : components) {
        if (!componentStates.containsKey(component.name())) {
          componentStates.put(component.name(), state);
        }
      }
    }
  }

  /**
   * Whether every prepared component may wait for the first request ({@link
   * AgentComponent#mayWait}).
   */
  private boolean componentsMayWait() {
    synchronized (lifecycle) {
      for (AgentComponent component : components) {
        if (!unprepared.contains(component) && !component.mayWait()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Leaves the prepared components for the first request that needs them, or for one of them to ask
   * ({@link AgentContext#startComponentsSoon}), which starts them on a daemon thread.
   */
  private void awaitFirstRequestOrAsk() {
    context.onStartComponentsSoon(new StartWhenAsked(this));
    awaitFirstRequest();
  }

  /** Starts the components, then says the start is done. */
  private static final class StartAndCountDown implements Runnable {
    private final AgentRuntime runtime;

    StartAndCountDown(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      try {
        runtime.startComponents();
      } finally {
        runtime.started.countDown();
      }
    }
  }

  /** Starts the components on a daemon thread, the first time a component asks. */
  private static final class StartWhenAsked implements Runnable {
    private final AgentRuntime runtime;
    private final AtomicBoolean asked = new AtomicBoolean();

    StartWhenAsked(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      if (!asked.compareAndSet(false, true)) {
        return;
      }
      runtime.setStates("starting: a component asked for it");
      Thread thread = new Thread(new StartComponents(runtime), "jsplice-start");
      thread.setDaemon(true);
      try {
        thread.start();
      } catch (RuntimeException | OutOfMemoryError e) {
        runtime
            .context
            .log()
            .warn("cannot start the components on a thread (" + e + "); starting now");
        runtime.startComponents();
      }
    }
  }

  /** Leaves the components for the first request that needs them; the status op says so. */
  private void awaitFirstRequest() {
    setStates("waiting for the first request that needs it");
    context.controlOps().whenMissing(new StartComponents(this));
    context.log().info("components wait for the first request that needs them");
  }

  /**
   * Prepares each component, once; later calls do nothing. A component whose preparation fails is
   * not started.
   */
  private void prepareComponents() {
    synchronized (lifecycle) {
      if (componentsPrepared) {
        return;
      }
      componentsPrepared = true;
      for (AgentComponent component : components) {
        try {
          component.prepare(context);
        } catch (Exception | LinkageError e) {
          unprepared.add(component);
          failed(component, e);
        }
      }
    }
  }

  /**
   * Prepares and starts the components and registers the MBean, once; later calls wait until the
   * first is done, then do nothing.
   */
  private void startComponents() {
    synchronized (lifecycle) {
      if (!componentsStarted) {
        componentsStarted = true;
        prepareComponents();
        startEachComponent();
        if (context.options().jmx()) {
          registerMBean();
        }
      }
    }
  }

  private void startEachComponent() {
    for (AgentComponent component : components) {
      if (unprepared.contains(component)) {
        continue;
      }
      try {
        component.start(context);
        synchronized (componentStates) {
          componentStates.put(component.name(), "started");
        }
      } catch (Exception | LinkageError e) {
        failed(component, e);
      }
    }
  }

  private void failed(AgentComponent component, Throwable e) {
    context
        .log()
        .error(
            "component '" + component.name() + "' failed to start; the agent runs on without it",
            e);
    synchronized (componentStates) {
      componentStates.put(component.name(), "failed: " + e);
    }
  }

  /**
   * Opens the control channel unless it is open or the JVM exits. Waits while it is being opened on
   * another thread, so a load of the agent jar in the meantime finds it open rather than opening a
   * second one.
   */
  private void openControlChannel() {
    AgentLog log = context.log();
    synchronized (channel) {
      ControlServer current = control;
      if (exiting || (current != null && current.isOpen())) {
        return;
      }
      registerStatusOp();
      try {
        control = ControlServer.openForThisJvm(context.controlOps(), log, codeChanged);
        System.clearProperty(ControlProtocol.PROBLEM_PROPERTY);
      } catch (IOException | RuntimeException | LinkageError e) {
        String problem = "the jsplice agent's control channel is not open: " + e.getMessage();
        log.error(problem, e);
        System.setProperty(ControlProtocol.PROBLEM_PROPERTY, problem);
      }
    }
  }

  /**
   * Registers the status op, once, before the channel first opens: under {@code -javaagent} on the
   * thread that opens it, since the ops' classes are twenty more for the main thread to load.
   */
  private void registerStatusOp() {
    synchronized (channel) {
      if (!statusOpRegistered) {
        statusOpRegistered = true;
        context.controlOps().register(Op.STATUS, StatusRequest.class, new StatusOp(this));
      }
    }
  }

  /** Closes the channel, and removes its socket, when the JVM exits. */
  private void removeSocketOnExit() {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(new Exit(this), "jsplice-shutdown"));
    } catch (IllegalStateException exiting) {
      // The JVM shuts down already, before premain returned: close the channel now.
      exit();
    }
  }

  // Not lambdas, as the ones below: premain makes them, and a JVM's first lambda costs it
  // milliseconds of CPU on the main thread (the lambda machinery), each one more its own class.

  /** The agent jar as the JVM opened it, for tests and callers that cannot tell. */
  private static final class Unchanged implements Supplier<String> {
    @Override
    public String get() {
      return null;
    }
  }

  /** What takes the options of each later load of the agent jar. */
  private static final class Reload implements Consumer<String> {
    private final AgentRuntime runtime;

    Reload(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void accept(String rawOptions) {
      runtime.reload(rawOptions);
    }
  }

  /** Starts the components, for the first request that needs them. */
  private static final class StartComponents implements Runnable {
    private final AgentRuntime runtime;

    StartComponents(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      runtime.startComponents();
    }
  }

  /** The shutdown hook; not a lambda, for the same reason. */
  private static final class Exit implements Runnable {
    private final AgentRuntime runtime;

    Exit(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      runtime.exit();
    }
  }

  /**
   * Registers the MBean on a thread of its own, once something in the JVM has started JMX ({@link
   * JmxStart}), so that a JVM nobody monitors through JMX never pays for it; at once without an
   * instrumentation (tests).
   */
  private void registerMBean() {
    Runnable register = new RegisterMBean(this);
    Instrumentation instrumentation = context.instrumentation();
    if (instrumentation == null) {
      register.run();
    } else {
      // Attached too: the platform MBean server's start would compete with the first apply for
      // the JVM's processors, and a JVM nobody monitors through JMX never needs it.
      JmxStart.whenStarted(instrumentation, context.transformers(), register);
    }
  }

  /**
   * Registers the MBean once JMX runs. Not a lambda: it is made as the components start, in a JVM
   * the agent was just attached to (issue 13); the method references in it are made only once JMX
   * runs.
   */
  private static final class RegisterMBean implements Runnable {
    private final AgentRuntime runtime;

    RegisterMBean(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      AgentContext context = runtime.context;
      try {
        AgentMBeans.registerInBackground(
            runtime.version,
            context.startMode().label(),
            runtime::controlSocket,
            context::appliedUpdates,
            context.log());
      } catch (LinkageError e) {
        context.log().warn("no MBean: " + e + " (monitoring only; updates work)");
      }
    }
  }
}
