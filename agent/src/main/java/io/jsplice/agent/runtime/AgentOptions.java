package io.jsplice.agent.runtime;

import io.jsplice.agent.log.ThisProcess;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.DefaultPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's options in force, immutable: the {@link AgentArguments} that {@code
 * -javaagent:jsplice-agent.jar=OPTIONS} or an attach passed, with what was not given filled in
 * ({@link AgentArguments} lists the keys and their defaults).
 *
 * <p>Options never fail the agent: what {@link AgentArguments#parse} left out is described in
 * {@link #warnings}, which the runtime logs.
 *
 * @param trust absolute trusted paths in the order given; may be empty, never null
 * @param stateDir absolute; never null
 * @param service may be null
 * @param logFile absolute; null means the log goes to stderr ({@code log=stderr})
 * @param jmx whether the MBean is registered
 * @param warnings one line per option that was ignored, saying what to write instead; never null
 */
public record AgentOptions(
    List<Path> trust,
    Path stateDir,
    String service,
    Path logFile,
    boolean jmx,
    List<String> warnings) {

  public AgentOptions {
    trust = List.copyOf(trust);
    Objects.requireNonNull(stateDir, "stateDir");
    warnings = List.copyOf(warnings);
  }

  /** Parses the options of the first load in this JVM. {@code raw} may be null or empty. */
  public static AgentOptions parse(String raw) {
    return parse(raw, Path.of(System.getProperty("user.home", "")), ThisProcess.pid());
  }

  static AgentOptions parse(String raw, Path home, long pid) {
    AgentArguments given = AgentArguments.parse(raw);
    Path state = given.state() != null ? given.state() : DefaultPaths.stateDirectory(home);
    String service = given.service();
    Path logFile = state.resolve(service != null ? service + ".log" : "agent-" + pid + ".log");
    if (given.logToStderr()) {
      logFile = null;
    } else if (given.log() != null) {
      logFile = Path.of(given.log());
    }
    return new AgentOptions(
        given.trust() == null ? List.of() : given.trust(),
        state,
        service,
        logFile,
        given.jmx() == null || given.jmx(),
        given.warnings());
  }

  /**
   * The options in force after a later load of the agent with {@code raw}: {@code trust} and {@code
   * service} given there replace these, keys not given keep their value. {@code state}, {@code log}
   * and {@code jmx} are fixed when the agent starts; a different value is ignored with a warning.
   */
  public AgentOptions reloadedWith(String raw) {
    AgentArguments given = AgentArguments.parse(raw);
    List<String> newWarnings = new ArrayList<>(given.warnings());
    List<Path> newTrust = given.trust() != null ? given.trust() : trust;
    String newService = given.service() != null ? given.service() : service;
    if (given.state() != null && !given.state().equals(stateDir)) {
      newWarnings.add(fixed("state", stateDir.toString()));
    }
    if (given.log() != null) {
      Path wanted = given.logToStderr() ? null : Path.of(given.log());
      if (!Objects.equals(wanted, logFile)) {
        newWarnings.add(fixed("log", logFile == null ? "stderr" : logFile.toString()));
      }
    }
    if (given.jmx() != null && given.jmx() != jmx) {
      newWarnings.add(fixed("jmx", Boolean.toString(jmx)));
    }
    return new AgentOptions(newTrust, stateDir, newService, logFile, jmx, newWarnings);
  }

  /** Whether the log goes to stderr rather than a file. */
  public boolean logToStderr() {
    return logFile == null;
  }

  private static String fixed(String key, String current) {
    return key
        + "= cannot change while the agent runs; it stays "
        + current
        + " (restart the JVM to change it)";
  }
}
