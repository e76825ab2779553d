package io.jsplice.client.internal;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.TargetNotFoundException;
import io.jsplice.protocol.ControlProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The JDK's attach API ({@code jdk.attach}) from this process, with its failures turned into
 * precise client exceptions. Call it only from a process that runs as the target's user: the JDK's
 * attach client creates, follows and deletes files in directories that user controls.
 */
public final class HotSpotAttach {
  private static final Duration POLL = Duration.ofMillis(20);

  private HotSpotAttach() {}

  /**
   * Loads {@code agentJar} into {@code target} and waits until it holds a jsplice control socket,
   * or the agent says why it has none ({@link ControlProtocol#PROBLEM_PROPERTY}).
   */
  public static void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
      throws ClientException {
    if (!Files.isReadable(agentJar)) {
      throw new AgentUnavailableException(
          "JVM "
              + target.pid()
              + " runs as user "
              + target.user()
              + ", who cannot read the agent jar "
              + agentJar
              + " it would have to load; install jsplice where that user can read it"
              + " (for example under /opt), or make the jar and its directories readable");
    }
    VirtualMachine vm = attach(target);
    try {
      load(vm, target, agentJar, options);
      awaitSocket(vm, target, timeout);
    } finally {
      detach(vm);
    }
  }

  /** The target's system properties; loads nothing into it. */
  public static Properties systemProperties(JvmProcess target) throws ClientException {
    VirtualMachine vm = attach(target);
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw new AgentUnavailableException(
          "cannot read the system properties of JVM " + target.pid() + ": " + e.getMessage(), e);
    } finally {
      detach(vm);
    }
  }

  private static VirtualMachine attach(JvmProcess target) throws ClientException {
    try {
      return VirtualMachine.attach(Long.toString(target.pid()));
    } catch (AttachNotSupportedException | IOException e) {
      if (!target.isAlive()) {
        throw new TargetNotFoundException("JVM " + target.pid() + " has exited", e);
      }
      throw new AgentUnavailableException(
          "cannot attach to JVM "
              + target.pid()
              + " ("
              + e.getMessage()
              + "); if it runs with -XX:+DisableAttachMechanism or in a container jsplice cannot"
              + " enter, start it with -javaagent:jsplice-agent.jar instead",
          e);
    }
  }

  private static void load(VirtualMachine vm, JvmProcess target, Path agentJar, String options)
      throws ClientException {
    try {
      vm.loadAgent(agentJar.toString(), options);
    } catch (AgentLoadException e) {
      throw new AgentUnavailableException(
          "JVM "
              + target.pid()
              + " refused to load the agent ("
              + e.getMessage()
              + "); a JVM started with -XX:-EnableDynamicAgentLoading loads agents only at"
              + " startup: restart it with -javaagent:"
              + agentJar,
          e);
    } catch (AgentInitializationException e) {
      throw new AgentUnavailableException(
          "the agent failed to start in JVM "
              + target.pid()
              + " ("
              + problem(vm, e.getMessage())
              + ")",
          e);
    } catch (IOException e) {
      throw new AgentUnavailableException(
          "loading the agent into JVM " + target.pid() + " failed: " + e.getMessage(), e);
    }
  }

  private static void awaitSocket(VirtualMachine vm, JvmProcess target, Duration timeout)
      throws ClientException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (AgentSocket.locate(target) != null) {
        return;
      }
      String problem = problem(vm, null);
      if (problem != null) {
        throw new AgentUnavailableException("JVM " + target.pid() + ": " + problem);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentUnavailableException("interrupted while waiting for the agent", e);
      }
    }
    throw new AgentUnavailableException(
        "the agent loaded into JVM "
            + target.pid()
            + " but opened no control socket within "
            + timeout.toSeconds()
            + " s; see the agent's log");
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

  private static void detach(VirtualMachine vm) {
    try {
      vm.detach();
    } catch (IOException ignored) {
      // The JVM may have exited; there is nothing to release on our side.
    }
  }
}
