package io.jsplice.cli.command;

import io.jsplice.client.AgentClient;
import io.jsplice.client.Agents;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.DefaultPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the verbs reach the agent in a JVM (through the client library), and whose keys they use. A
 * person waits for a long apply as long as the agent is alive: the clients ask for heartbeats.
 */
final class AgentConnection {
  private AgentConnection() {}

  static Agents agents() {
    return Agents.fromSystemProperty();
  }

  /**
   * The agent in {@code pid}, loading it if absent with these trusted keys and service name.
   *
   * @param trust absolute or relative paths; made absolute for the agent
   */
  static AgentClient connectOrLoad(long pid, List<Path> trust, String service)
      throws FailureException {
    return agents().connectOrLoad(pid, AgentArguments.of(trust, service)).withHeartbeats();
  }

  /**
   * Loads the agent into {@code pid} with these trusted keys and service name, for one request that
   * follows at once: the request waits for the agent to answer, no status call before it.
   */
  static AgentClient loadFor(long pid, List<Path> trust, String service) throws FailureException {
    return agents().loadWithoutProbe(pid, AgentArguments.of(trust, service)).withHeartbeats();
  }

  /** The agent in {@code pid} if it is there; never loads it. */
  static Optional<AgentClient> ifPresent(long pid) throws FailureException {
    return agents().find(pid).map(AgentClient::withHeartbeats);
  }

  /**
   * The certificates to trust: {@code given}, else $JSPLICE_TRUST (path-separated), else
   * /etc/jsplice/trusted and ~/.jsplice/trusted if present.
   */
  static List<Path> trust(List<Path> given) {
    return given.isEmpty()
        ? DefaultPaths.trust(
            System.getenv(DefaultPaths.TRUST_ENV), Path.of(System.getProperty("user.home")))
        : given;
  }

  static long pid(String text) throws FailureException {
    try {
      long pid = Long.parseLong(text);
      if (pid <= 0) {
        throw new NumberFormatException();
      }
      return pid;
    } catch (NumberFormatException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, "\"" + text + "\" is not a process id");
    }
  }
}
