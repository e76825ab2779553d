package io.jsplice.client;

import java.util.List;

/**
 * A JVM running on this machine, as {@code /proc} describes it.
 *
 * @param process who runs it
 * @param mainClass its main class, {@code -jar} file or module/class; empty if it cannot be told
 * @param commandLine its command line's words
 * @param javaVersion the {@code JAVA_VERSION} of its JDK's {@code release} file; null if unknown
 * @param agent whether the jsplice agent is in it
 */
public record LocalJvm(
    JvmProcess process,
    String mainClass,
    List<String> commandLine,
    String javaVersion,
    AgentPresence agent) {

  public long pid() {
    return process.pid();
  }

  /** The main class (or jar) and the program's arguments, as {@code jps -m} shows them. */
  public String displayName() {
    int at = LocalJvms.mainIndex(commandLine);
    return at < 0 ? "" : String.join(" ", commandLine.subList(at, commandLine.size()));
  }

  /** Whether the jsplice agent is in a JVM, as far as this user can tell. */
  public enum AgentPresence {
    /** Its control socket answers. */
    PRESENT,
    /** It holds no jsplice control socket. */
    ABSENT,
    /**
     * It holds one, but it does not answer or is not provably the JVM's agent; or it was started
     * with the agent but holds none.
     */
    NOT_ANSWERING,
    /** This user may not look into the JVM (another user's). */
    UNKNOWN
  }
}
