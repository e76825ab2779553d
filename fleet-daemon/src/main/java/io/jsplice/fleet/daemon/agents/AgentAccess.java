package io.jsplice.fleet.daemon.agents;

import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.model.control.FailureCause;
import io.jsplice.protocol.message.ReadingsReply;
import io.jsplice.protocol.message.TripwiresReply;
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

  /**
   * As {@link #apply(ManagedJvm, Path, String)}; with {@code acceptLeftOut}, also an update that
   * leaves out classes of the fixed release (a live subset), as the host's group's policy allows.
   * Never accepts state built before the update that would keep the fix from being in force.
   *
   * @throws AgentAccessException with the agent's cause; {@link AgentAccessException#leftOut()}
   *     names the classes when the update was refused for leaving them out
   */
  default void apply(ManagedJvm jvm, Path file, String updateId, boolean acceptLeftOut)
      throws AgentAccessException {
    apply(jvm, file, updateId);
  }

  /**
   * Undoes update {@code updateId} in {@code jvm}: its rollout was rolled back, or its health gate
   * failed there.
   *
   * @throws AgentAccessException with the agent's cause (not applied, a later update depends on it,
   *     code busy...)
   */
  default void undo(ManagedJvm jvm, String updateId) throws AgentAccessException {
    throw new AgentAccessException(
        FailureCause.AGENT_UNAVAILABLE, "this access cannot undo updates", null);
  }

  /**
   * Reads JMX attributes of {@code jvm} ({@code OBJECTNAME#ATTRIBUTE} each), loading the agent if
   * it is not there, for the health gate.
   */
  default ReadingsReply readings(ManagedJvm jvm, List<String> attributes)
      throws AgentAccessException {
    throw new AgentAccessException(
        FailureCause.AGENT_UNAVAILABLE, "this access reads no JMX attributes", null);
  }

  /**
   * The exploit attempts the tripwires of updates applied in {@code jvm} blocked, after sequence
   * number {@code after}. Only asks a JVM whose agent runs already.
   */
  default TripwiresReply tripwires(ManagedJvm jvm, long after) throws AgentAccessException {
    return new TripwiresReply(List.of(), after, 0);
  }
}
