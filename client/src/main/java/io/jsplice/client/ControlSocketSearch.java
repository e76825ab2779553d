package io.jsplice.client;

import io.jsplice.client.internal.AgentSocket;
import io.jsplice.client.internal.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Looks for the agent's control socket in a JVM, and waits for it in a JVM started with the agent.
 *
 * <p>Under {@code -javaagent} the agent opens its channel on a daemon thread of its own, beside the
 * application's start; and before the JVM even reaches the agent there is no socket either. A
 * client that looks right after such a JVM started (a restart followed by {@code jsplice verify},
 * the fleet daemon's pass over new JVMs) would find none and say there is no agent. So when a JVM
 * holds no jsplice socket but its command line, as the kernel has it ({@code /proc/PID/cmdline}),
 * loads the jsplice agent with {@code -javaagent} (a jar whose manifest names the agent's launcher
 * as its {@code Premain-Class}; the file's name proves nothing), the search waits for the socket to
 * appear, at most the given time. A JVM without the agent on its command line is answered at once,
 * as is one that started so long ago ({@link #OPENS_WITHIN}) that its channel is not on its way:
 * its agent failed to open it, or closed it as the JVM exits.
 *
 * <p>An agent loaded through the attach API needs no wait here: the load returns once its channel
 * is open, and its jar is not on the command line.
 */
final class ControlSocketSearch {
  /** The {@code Premain-Class} of the jsplice agent jar. */
  static final String AGENT_LAUNCHER = "io.jsplice.agent.launch.AgentLauncher";

  /**
   * How long after a JVM's start its agent's channel opens at the latest, on however busy a
   * machine: a JVM older than that which holds no socket has no channel on its way.
   */
  static final Duration OPENS_WITHIN = Duration.ofSeconds(60);

  private static final long FIRST_POLL_MILLIS = 5;
  private static final long LAST_POLL_MILLIS = 50;

  /**
   * What the search found.
   *
   * @param socket the checked path of the socket; null if none
   * @param absentBecause null if the JVM holds a socket or does not load the agent at start; else
   *     why a JVM that does holds none, saying how long it was waited for
   */
  record Found(Path socket, String absentBecause) {}

  private ControlSocketSearch() {}

  /**
   * The control socket of {@code target}; if it holds none yet but was started with the jsplice
   * agent, waits for it, at most {@code timeout}.
   *
   * @throws TargetNotFoundException if the process is gone, or exits while waited for
   * @throws AgentUnavailableException if this user may not look into it
   * @throws UntrustedAgentException if its socket is not private to its user
   */
  static Found locate(JvmProcess target, Duration timeout) throws ClientException {
    Path socket = AgentSocket.locate(target);
    if (socket != null) {
      return new Found(socket, null);
    }
    String jar = startupAgentJar(target);
    if (jar == null) {
      return new Found(null, null);
    }
    Instant started =
        ProcessHandle.of(target.pid()).flatMap(h -> h.info().startInstant()).orElse(null);
    if (started != null && started.plus(OPENS_WITHIN).isBefore(Instant.now())) {
      return new Found(
          null,
          "JVM "
              + target.pid()
              + " was started with the jsplice agent (-javaagent:"
              + jar
              + ") but holds no control socket: its agent did not open it or closed it (as the JVM"
              + " exits); see the agent's log");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long poll = FIRST_POLL_MILLIS;
    while (System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentUnavailableException(
            "interrupted while waiting for the control socket of JVM " + target.pid(), e);
      }
      poll = Math.min(poll * 2, LAST_POLL_MILLIS);
      socket = AgentSocket.locate(target);
      if (socket != null) {
        return new Found(socket, null);
      }
    }
    return new Found(
        null,
        "JVM "
            + target.pid()
            + " was started with the jsplice agent (-javaagent:"
            + jar
            + "), but no control socket appeared in it within the "
            + timeout.toMillis()
            + " ms it was waited for; see the agent's log");
  }

  /**
   * The jar of the jsplice agent that {@code target}'s command line loads with {@code -javaagent},
   * as the command line names it; null if none (or the command line cannot be read).
   */
  static String startupAgentJar(JvmProcess target) {
    List<String> words;
    try {
      words = ProcFs.commandLine(target.pid());
    } catch (IOException | RuntimeException gone) {
      return null; // the socket's search says what became of it
    }
    for (String jar : LocalJvms.javaagentJars(words)) {
      if (isJspliceAgent(reachable(target, jar))) {
        return jar;
      }
    }
    return null;
  }

  /** {@code jar} as this process reaches it: in the target's file system view, from its cwd. */
  private static Path reachable(JvmProcess target, String jar) {
    Path proc = Path.of("/proc", Long.toString(target.pid()));
    if (!jar.startsWith("/")) {
      return proc.resolve("cwd").resolve(jar);
    }
    return target.otherMountNamespace()
        ? proc.resolve("root").resolve(jar.substring(1))
        : Path.of(jar);
  }

  /** Whether {@code jar} is a jar whose {@code Premain-Class} is the jsplice agent's launcher. */
  static boolean isJspliceAgent(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest manifest = file.getManifest();
      return manifest != null
          && AGENT_LAUNCHER.equals(
              manifest.getMainAttributes().getValue(new Attributes.Name("Premain-Class")));
    } catch (IOException | RuntimeException notAJar) {
      return false;
    }
  }
}
