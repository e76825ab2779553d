package io.jsplice.agent.runtime;

/**
 * A part of the agent that the runtime starts once per JVM and hands the {@link AgentContext}: the
 * update engine is one. Components are listed in {@link Components}.
 *
 * <p>Call order: {@link #prepare} once, then {@link #start} once, then {@link #optionsChanged} for
 * each later load of the agent jar; never two at the same time. {@code prepare} runs on the thread
 * that loaded the agent (the {@code premain} thread, before the application's {@code main}, or the
 * attach listener); {@code start} runs there too, or, under {@code -javaagent}, on a daemon thread
 * of the runtime beside the application's start, or on the control thread at the first request that
 * needs the component; {@code optionsChanged} runs on the attach listener.
 */
public interface AgentComponent {
  /** A short name for logs and the status reply, e.g. {@code engine}. */
  String name();

  /**
   * Puts in place what must be there before the application's classes load, such as a transformer
   * that holds back the classes of recorded updates until they are applied again. It runs on the
   * thread that loaded the agent, before the application's {@code main} under {@code -javaagent},
   * so it must be cheap. An exception is logged, {@link #start} is not called, and the agent runs
   * on without this component. By default nothing happens.
   */
  default void prepare(AgentContext context) throws Exception {}

  /**
   * Starts the component: registers its control ops and status in {@code context}. The control
   * channel may open before (a request for an op not registered yet waits for the components to
   * start: {@link io.jsplice.agent.control.ControlOps#whenMissing}). Should be quick: do slow work
   * on a daemon thread of its own. An exception is logged and the agent runs on without this
   * component.
   */
  void start(AgentContext context) throws Exception;

  /**
   * The agent jar was loaded again; {@code options} are now in force ({@link
   * AgentContext#options()} returns them). By default nothing happens.
   */
  default void optionsChanged(AgentOptions options) {}

  /**
   * After {@link #prepare} under {@code -javaagent} with recorded updates, whether this component
   * may wait for the first request that needs it (or for its own {@link
   * AgentContext#startComponentsSoon}) instead of starting beside the application: the runtime
   * starts the components then only if one of them may not wait. By default it may not.
   */
  default boolean mayWait() {
    return false;
  }

  /** While it waits ({@link #mayWait}), what the status reply says of it; null for the default. */
  default String waitingState() {
    return null;
  }
}
