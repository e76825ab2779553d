package io.jsplice.cli.attach;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The JVMs on this machine that jsplice can see, and which of them run the jsplice agent.
 *
 * <p>JVMs are found the way {@code jps} finds them (their {@code hsperfdata} files), so a JVM
 * started with {@code -XX:-UsePerfData} is missing, and a non-root user sees only their own JVMs.
 * The agent counts as present when its control socket answers {@code status}. This JVM (jsplice
 * itself) is left out.
 */
public final class LocalJvms {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private LocalJvms() {}

  /**
   * One local JVM.
   *
   * @param pid its process id
   * @param displayName what the JVM reports: its main class or jar and arguments; may be empty
   * @param mainClass the main class or jar, the first word of the display name; may be empty
   * @param agentPresent whether a jsplice agent answers in it
   */
  public record LocalJvm(long pid, String displayName, String mainClass, boolean agentPresent) {}

  /** The local JVMs, by pid. Asks each JVM with a control socket for its status (1 s at most). */
  public static List<LocalJvm> list() {
    long self = ProcessHandle.current().pid();
    List<LocalJvm> jvms = new ArrayList<>();
    for (VirtualMachineDescriptor descriptor : VirtualMachine.list()) {
      long pid;
      try {
        pid = Long.parseLong(descriptor.id());
      } catch (NumberFormatException notAPid) {
        continue;
      }
      if (pid == self) {
        continue;
      }
      String display = descriptor.displayName() == null ? "" : descriptor.displayName().strip();
      String mainClass = display.isEmpty() ? "" : display.split("\\s+", 2)[0];
      jvms.add(new LocalJvm(pid, display, mainClass, agentAnswers(pid)));
    }
    jvms.sort(Comparator.comparingLong(LocalJvm::pid));
    return jvms;
  }

  private static boolean agentAnswers(long pid) {
    try {
      AgentClient client = AgentClient.forPid(pid).withTimeout(PROBE_TIMEOUT);
      if (!client.socketExists()) {
        return false;
      }
      client.status();
      return true;
    } catch (AgentException e) {
      return false;
    }
  }
}
