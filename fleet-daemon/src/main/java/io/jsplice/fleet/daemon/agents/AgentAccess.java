package io.jsplice.fleet.daemon.agents;

import io.jsplice.fleet.api.JvmInventory;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the daemon does to local JVMs, and the only way it reaches them: find the JVMs it
 * manages, ask what each runs, apply an update. {@link ClientAgentAccess} talks to real agents
 * through the client library; {@link TimeBoundAgentAccess} bounds how long any JVM may take; the
 * daemon's unit tests use their own.
 *
 * <p>Implementations never trust what a JVM's user controls: JVMs are identified and selected by
 * what the kernel says about them, and an update reaches an agent as the bytes the daemon verified,
 * never as a path into the user's files.
 */
public interface AgentAccess {
  /** The local JVMs this daemon manages (those its selection matches), by pid. */
  List<ManagedJvm> discover();

  /**
   * What {@code jvm} runs: the libraries it loaded, the updates in force, its restart verdicts.
   *
   * @throws AgentAccessException when the JVM cannot be read; {@link
   *     AgentAccessException#jvmGone()} when it exited
   */
  JvmInventory inventory(ManagedJvm jvm) throws AgentAccessException;

  /**
   * Applies the update in {@code file} to {@code jvm}, loading the agent first if it is not there,
   * and returns once the agent reports it in force.
   *
   * @param file a signed update the daemon verified against its own trusted keys
   * @throws AgentAccessException with the agent's cause when it refused or could not be reached
   */
  void apply(ManagedJvm jvm, Path file, String updateId) throws AgentAccessException;
}
