package io.jsplice.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * Which JVM and agent answer, how the agent was started, the options in force, and what is applied.
 *
 * @param pid the JVM's process id as it sees itself (in its own pid namespace)
 * @param jvmVersion {@code Runtime.version()}
 * @param startMode {@code premain} (with {@code -javaagent}) or {@code agentmain} (attached)
 * @param loads how many times the agent jar was loaded into this JVM
 * @param agentStartedAt ISO-8601 instant
 * @param service may be null
 * @param trust the agent's own trusted paths (its {@code trust=}); may be empty
 * @param log where the agent logs: a file, or {@code stderr}
 * @param controlSocket the socket this answer came through; may be null while closed
 * @param ops the ops it serves, sorted
 * @param components each component's state: {@code started} or why it failed
 * @param updates what is applied; null when the update engine did not start
 */
public record StatusReply(
    long pid,
    String jvmVersion,
    String jvmVendor,
    String jvmName,
    String agentVersion,
    String startMode,
    int loads,
    String agentStartedAt,
    long agentUptimeMillis,
    String service,
    String stateDir,
    List<String> trust,
    String log,
    boolean jmx,
    String controlSocket,
    List<String> ops,
    Map<String, String> components,
    UpdatesSummary updates) {}
