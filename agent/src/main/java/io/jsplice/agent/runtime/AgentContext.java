package io.jsplice.agent.runtime;

import io.jsplice.agent.control.ControlOps;
import io.jsplice.agent.jmx.AppliedUpdates;
import io.jsplice.agent.log.AgentLog;
import io.jsplice.protocol.message.UpdatesSummary;
import java.lang.instrument.Instrumentation;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the runtime gives each {@link AgentComponent}: the JVM's {@link Instrumentation}, the
 * options in force, the log, and the places to plug into: control ops, the status reply's account
 * of applied updates and the JMX feed of them.
 *
 * <p>Thread-safe. One per JVM.
 */
public final class AgentContext {
  private final Instrumentation instrumentation;
  private final StartMode startMode;
  private final AgentLog log;
  private final ControlOps controlOps = new ControlOps();
  private final TransformerChain transformers = new TransformerChain();
  private volatile Supplier<UpdatesSummary> updates = new NoUpdates();
  private volatile AgentOptions options;
  private volatile AppliedUpdates appliedUpdates = AppliedUpdates.NONE;
  private volatile Runnable startComponents = new DoNothing();

  // Not lambdas: premain makes these, and a JVM's first lambda costs it milliseconds of CPU.
  private static final class NoUpdates implements Supplier<UpdatesSummary> {
    @Override
    public UpdatesSummary get() {
      return null;
    }
  }

  private static final class DoNothing implements Runnable {
    @Override
    public void run() {}
  }

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

  /**
   * The agent's place in the JVM's chain of retransformation-capable transformers, taken when the
   * runtime started: components append their transformers here rather than register them with
   * {@link #instrumentation()}, so that they keep that place however late they start.
   */
  public TransformerChain transformers() {
    return transformers;
  }

  /** Where components register the control channel's operations. */
  public ControlOps controlOps() {
    return controlOps;
  }

  /**
   * Feeds the {@code updates} part of the status reply (what is applied); replaces the previous
   * feed. Called on the control thread for each status request: it must be quick and never block on
   * a lock an apply holds for long.
   */
  public void reportUpdates(Supplier<UpdatesSummary> feed) {
    this.updates = Objects.requireNonNull(feed, "feed");
  }

  /** Feeds the JMX attribute {@code AppliedUpdates}; replaces the previous feed. */
  public void feedAppliedUpdates(AppliedUpdates updates) {
    this.appliedUpdates = Objects.requireNonNull(updates, "updates");
  }

  AppliedUpdates appliedUpdates() {
    return appliedUpdates;
  }

  /** What is applied, for the status reply; null when no component reports it. */
  UpdatesSummary updates() {
    return updates.get();
  }

  /**
   * Asks the runtime to start the components now, on a thread of its own, when they were prepared
   * and wait ({@link AgentComponent#mayWait}): for a component that finds, while the application
   * runs, that it needs to start. Returns at once; does nothing once they started or were asked.
   */
  public void startComponentsSoon() {
    startComponents.run();
  }

  void onStartComponentsSoon(Runnable start) {
    this.startComponents = Objects.requireNonNull(start, "start");
  }

  void options(AgentOptions options) {
    this.options = options;
  }
}
