package io.jsplice.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Loads the jsplice agent into a running JVM through the attach API, then waits for its control
 * socket to answer.
 *
 * <p>Who may attach: the JVM's own user, and root into a JVM of any user (the JDK's attach rule;
 * the agent's control channel follows the same rule). JDK 21+ targets print a JEP 451 warning on
 * their stderr for each dynamic load; a JVM started with {@code -XX:-EnableDynamicAgentLoading}
 * refuses it, and must be started with {@code -javaagent} instead.
 *
 * <p>Before attaching it checks that the pid is a Java VM ({@code libjvm.so} mapped): attaching
 * sends SIGQUIT, which would kill most other processes.
 *
 * <p>Immutable and thread-safe.
 */
public final class AgentLoader {
  /** The system property that names the agent jar; {@code bin/jsplice} sets it. */
  public static final String AGENT_JAR_PROPERTY = "jsplice.agent.jar";

  private static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(20);

  private final Path agentJar;
  private final Duration socketTimeout;

  public AgentLoader(Path agentJar) {
    this(agentJar, DEFAULT_SOCKET_TIMEOUT);
  }

  private AgentLoader(Path agentJar, Duration socketTimeout) {
    this.agentJar = agentJar.toAbsolutePath();
    this.socketTimeout = socketTimeout;
  }

  /**
   * The loader for the agent jar named by {@value #AGENT_JAR_PROPERTY}.
   *
   * @throws AgentException {@code AGENT_UNAVAILABLE} if the property is not set
   */
  public static AgentLoader fromSystemProperty() throws AgentException {
    return fromProperty(System.getProperty(AGENT_JAR_PROPERTY));
  }

  static AgentLoader fromProperty(String value) throws AgentException {
    if (value == null || value.isBlank()) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "the system property "
              + AGENT_JAR_PROPERTY
              + " does not name the agent jar; run jsplice"
              + " through bin/jsplice, which sets it, or pass -D"
              + AGENT_JAR_PROPERTY
              + "=PATH");
    }
    return new AgentLoader(Path.of(value));
  }

  /** A loader like this one that waits at most {@code timeout} for the socket after loading. */
  public AgentLoader withSocketTimeout(Duration timeout) {
    return new AgentLoader(agentJar, Objects.requireNonNull(timeout, "timeout"));
  }

  public Path agentJar() {
    return agentJar;
  }

  /**
   * A client for the agent in JVM {@code pid}, loading the agent first unless one answers already
   * (then {@code options} are not passed).
   *
   * @param options the agent options, e.g. {@code trust=/etc/jsplice/ca.pem}; may be null
   */
  public AgentClient connectOrLoad(long pid, String options) throws AgentException {
    AgentClient client = AgentClient.forPid(pid);
    if (client.socketExists()) {
      try {
        client.withTimeout(Duration.ofSeconds(5)).status();
        return client;
      } catch (AgentException stale) {
        if (stale.failure() == FailureCause.TARGET_NOT_FOUND) {
          throw stale;
        }
        // No agent answers behind the socket: load one.
      }
    }
    return load(pid, options);
  }

  /**
   * Loads the agent into JVM {@code pid} and returns a client once its control socket answers. If
   * an agent runs there already it is not started again: it takes {@code options} instead.
   *
   * @param options the agent options; may be null
   * @throws AgentException {@code TARGET_NOT_FOUND} if there is no such process or it is not a Java
   *     VM; {@code AGENT_UNAVAILABLE} if attaching or loading fails or no socket answers in time
   */
  public AgentClient load(long pid, String options) throws AgentException {
    if (!Files.isRegularFile(agentJar)) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "the agent jar "
              + agentJar
              + " does not exist; reinstall jsplice or set "
              + AGENT_JAR_PROPERTY);
    }
    if (pid == ProcessHandle.current().pid()) {
      throw new AgentException(
          FailureCause.BAD_REQUEST, "pid " + pid + " is jsplice itself; name the JVM to update");
    }
    requireJavaVm(pid);
    AgentClient client = AgentClient.forPid(pid);
    VirtualMachine vm = attach(pid);
    try {
      loadInto(vm, pid, options);
      return awaitSocket(vm, client);
    } finally {
      detach(vm);
    }
  }

  /** Fails unless {@code pid} is a live process that maps libjvm.so. */
  private static void requireJavaVm(long pid) throws AgentException {
    Path maps = Path.of("/proc/" + pid + "/maps");
    String content;
    try {
      content = Files.readString(maps);
    } catch (NoSuchFileException e) {
      throw new AgentException(FailureCause.TARGET_NOT_FOUND, "no process with pid " + pid);
    } catch (AccessDeniedException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "no permission to inspect process " + pid + "; run jsplice as its user or as root");
    } catch (IOException e) {
      throw new AgentException(
          FailureCause.TARGET_NOT_FOUND, "cannot inspect process " + pid + ": " + e.getMessage());
    }
    if (!content.contains("/libjvm.so")) {
      throw new AgentException(
          FailureCause.TARGET_NOT_FOUND,
          "process " + pid + " is not a Java VM (no libjvm.so in " + maps + "); name a JVM's pid");
    }
  }

  static VirtualMachine attach(long pid) throws AgentException {
    try {
      return VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new AgentException(FailureCause.TARGET_NOT_FOUND, "JVM " + pid + " has exited", e);
      }
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "cannot attach to JVM "
              + pid
              + " ("
              + e.getMessage()
              + "); if it runs with"
              + " -XX:+DisableAttachMechanism, as another non-root user or in another container,"
              + " start it with -javaagent:jsplice-agent.jar instead",
          e);
    }
  }

  private void loadInto(VirtualMachine vm, long pid, String options) throws AgentException {
    try {
      vm.loadAgent(agentJar.toString(), options);
    } catch (AgentLoadException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "JVM "
              + pid
              + " refused to load the agent ("
              + e.getMessage()
              + "); a JVM started with"
              + " -XX:-EnableDynamicAgentLoading loads agents only at startup: restart it with"
              + " -javaagent:"
              + agentJar,
          e);
    } catch (AgentInitializationException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "the agent failed to start in JVM " + pid + " (" + problem(vm, e.getMessage()) + ")",
          e);
    } catch (IOException e) {
      throw new AgentException(
          FailureCause.AGENT_UNAVAILABLE,
          "loading the agent into JVM " + pid + " failed: " + e.getMessage(),
          e);
    }
  }

  private AgentClient awaitSocket(VirtualMachine vm, AgentClient client) throws AgentException {
    long deadline = System.nanoTime() + socketTimeout.toNanos();
    AgentException last = null;
    while (System.nanoTime() < deadline) {
      if (client.socketExists()) {
        try {
          client.withTimeout(Duration.ofSeconds(5)).status();
          return client;
        } catch (AgentException e) {
          last = e;
        }
      }
      String problem = problem(vm, null);
      if (problem != null) {
        throw new AgentException(
            FailureCause.AGENT_UNAVAILABLE, "JVM " + client.pid() + ": " + problem);
      }
      sleep(POLL);
    }
    throw new AgentException(
        FailureCause.AGENT_UNAVAILABLE,
        "the agent loaded into JVM "
            + client.pid()
            + " but its control socket "
            + client.socket()
            + " did not answer within "
            + socketTimeout.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "; see the agent's log",
        last);
  }

  /** The agent's own account of why it is not reachable, or {@code fallback}. */
  private static String problem(VirtualMachine vm, String fallback) {
    try {
      String problem = vm.getSystemProperties().getProperty(ControlProtocol.PROBLEM_PROPERTY);
      return problem != null ? problem : fallback;
    } catch (IOException e) {
      return fallback;
    }
  }

  static void detach(VirtualMachine vm) {
    try {
      vm.detach();
    } catch (IOException ignored) {
      // The JVM may have exited; there is nothing to release on our side.
    }
  }

  private static void sleep(Duration duration) throws AgentException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(FailureCause.INTERNAL, "interrupted while waiting for the agent");
    }
  }
}
