package io.jsplice.agent.runtime;

/**
 * A part of the agent that the runtime starts once per JVM and hands the {@link AgentContext}: the
 * update engine is one. Components are listed in {@link Components}.
 *
 * <p>Call order: {@link #start} once, then {@link #optionsChanged} for each later load of the agent
 * jar. Both run on the thread that loaded the agent (the {@code premain} thread, before the
 * application's {@code main}, or the attach listener), and never at the same time.
 */
public interface AgentComponent {
  /** A short name for logs and the status reply, e.g. {@code engine}. */
  String name();

  /**
   * Starts the component: registers its control ops and status in {@code context}. The control
   * channel opens after every component started, so no request sees an op missing. Must be quick
   * (it delays the application's start under {@code -javaagent}): do slow work on a daemon thread
   * of its own. An exception is logged and the agent runs on without this component.
   */
  void start(AgentContext context) throws Exception;

  /**
   * The agent jar was loaded again; {@code options} are now in force ({@link
   * AgentContext#options()} returns them). By default nothing happens.
   */
  default void optionsChanged(AgentOptions options) {}
}
