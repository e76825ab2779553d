package io.jsplice.client;

import io.jsplice.client.internal.ProcFs;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A local process as the kernel describes it: who runs it and in which namespaces. The identity
 * every check of the control channel compares against.
 *
 * @param pid its process id here
 * @param uid its effective user id
 * @param gid its effective group id
 * @param user the name of {@code uid}, or the number when it has none
 * @param namespacePid its pid in its own pid namespace (a container's), the same as {@code pid}
 *     outside containers
 * @param otherMountNamespace whether it sees another file system tree than this process (a
 *     container); its paths are then reached through {@code /proc/PID/root}
 */
public record JvmProcess(
    long pid, long uid, long gid, String user, long namespacePid, boolean otherMountNamespace) {

  /**
   * The process {@code pid}, as {@code /proc} describes it (readable by every user).
   *
   * @throws TargetNotFoundException if there is no such process
   */
  public static JvmProcess of(long pid) throws TargetNotFoundException {
    if (pid <= 0) {
      throw new TargetNotFoundException("no process with pid " + pid);
    }
    try {
      ProcFs.Status status = ProcFs.status(pid);
      return new JvmProcess(
          pid,
          status.uid(),
          status.gid(),
          ProcFs.userName(pid, status.uid()),
          status.namespacePid(),
          ProcFs.otherMountNamespace(pid));
    } catch (NoSuchFileException e) {
      throw new TargetNotFoundException("no process with pid " + pid);
    } catch (IOException e) {
      throw new TargetNotFoundException("cannot inspect process " + pid + ": " + e.getMessage(), e);
    }
  }

  /** Whether this process runs as the same user, or as root: may look into it and attach. */
  public boolean reachableByThisUser() {
    long self = ProcFs.selfUid();
    return self == 0 || self == uid;
  }

  /**
   * Fails unless the process is a Java VM ({@code libjvm.so} mapped). Attaching sends SIGQUIT,
   * which would kill most other processes.
   *
   * @throws TargetNotFoundException if it is gone or not a JVM
   * @throws AgentUnavailableException if this user may not look into it
   */
  public void requireJavaVm() throws TargetNotFoundException, AgentUnavailableException {
    try {
      if (!ProcFs.mapsJvm(pid)) {
        throw new TargetNotFoundException(
            "process "
                + pid
                + " is not a Java VM (no libjvm.so in /proc/"
                + pid
                + "/maps); name a JVM's pid");
      }
    } catch (NoSuchFileException e) {
      throw new TargetNotFoundException("JVM " + pid + " has exited");
    } catch (AccessDeniedException e) {
      throw notReachable();
    } catch (IOException e) {
      throw new TargetNotFoundException("cannot inspect process " + pid + ": " + e.getMessage(), e);
    }
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The refusal for a user who may not look into this process. */
  public AgentUnavailableException notReachable() {
    return new AgentUnavailableException(
        "cannot tell whether JVM "
            + pid
            + " runs a jsplice agent or what it applied: it runs as user "
            + user
            + ", and only "
            + user
            + " or root may look into it; run jsplice as "
            + user
            + " or as root");
  }

  @Override
  public String toString() {
    return "JVM " + pid + " (user " + user + ")";
  }
}
