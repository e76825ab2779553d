package io.jsplice.fleet.daemon.agents;

import java.time.Instant;

/**
 * One run of a local JVM the daemon manages.
 *
 * @param pid its process id
 * @param key {@code PID@STARTEPOCHMILLIS}: a restarted JVM (even one that got the same pid) has a
 *     new key, and the daemon treats it as a new JVM
 * @param startedAt when the process started, by the kernel
 * @param commandLine its command line, by the kernel ({@code /proc/PID/cmdline}), not by anything
 *     the JVM's user writes
 * @param mainClass the main class or jar; may be empty
 * @param uid the user that runs it
 * @param agent whether a jsplice agent answered in it when it was found
 */
public record ManagedJvm(
    long pid,
    String key,
    Instant startedAt,
    String commandLine,
    String mainClass,
    long uid,
    boolean agent) {

  public static String key(long pid, Instant startedAt) {
    return pid + "@" + (startedAt == null ? 0 : startedAt.toEpochMilli());
  }

  /** "JVM 1234 (Text4Shell)", for log lines. */
  public String display() {
    return "JVM " + pid + (mainClass.isEmpty() ? "" : " (" + mainClass + ")");
  }
}
