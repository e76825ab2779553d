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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Attaching to a HotSpot JVM from this process, with failures turned into precise client
 * exceptions: first through {@link AttachListener}, which speaks HotSpot's attach protocol itself
 * and wakes as soon as the listener's socket appears, and, when that meets anything it does not
 * expect before it sent its request, through the JDK's attach API ({@code jdk.attach}). Call it
 * only from a process that runs as the target's user: both create, follow and delete files in
 * directories that user controls.
 */
public final class HotSpotAttach {
  private static final Duration POLL = Duration.ofMillis(20);

  /** How long the listener may take to start: the JDK's default attach timeout. */
  private static final Duration LISTENER_TIMEOUT = Duration.ofSeconds(10);

  // The instrument agent's return codes (the JDK's HotSpotVirtualMachine names them so).
  private static final int JNI_ENOMEM = -4;
  private static final int ATTACH_ERROR_BADJAR = 100;
  private static final int ATTACH_ERROR_NOTONCP = 101;
  private static final int ATTACH_ERROR_STARTFAIL = 102;
  private static final String RETURN_CODE = "return code: ";

  private HotSpotAttach() {}

  /** Where a failed agent's own account of its failure comes from; null if it gave none. */
  interface ProblemSource {
    String problem();
  }

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
    AttachListener listener;
    AttachListener.Reply reply;
    try {
      listener = AttachListener.of(target, LISTENER_TIMEOUT);
      reply = listener.loadInstrument(agentJar, options);
    } catch (AttachListener.Unexpected unexpected) {
      loadAgentThroughJdk(target, agentJar, options, timeout);
      return;
    } catch (AttachListener.NoListener none) {
      throw cannotAttach(target, none.getMessage(), none);
    }
    ProblemSource problem = () -> problem(listener);
    checkLoaded(target, agentJar, reply, problem);
    awaitSocket(target, timeout, problem);
  }

  /**
   * Readies this process for {@link #loadAgent}, touching no other process: the sockets' classes
   * and native code ({@link AgentSocket#prepare}) and the signal's native library loaded, so that a
   * caller may do it on another core while it checks the update it is about to send.
   */
  public static void prepare() {
    AgentSocket.prepare();
    AttachListener.prepare();
  }

  /** The target's system properties; loads nothing into it. */
  public static Properties systemProperties(JvmProcess target) throws ClientException {
    try {
      return AttachListener.of(target, LISTENER_TIMEOUT).systemProperties();
    } catch (AttachListener.Unexpected unexpected) {
      return systemPropertiesThroughJdk(target);
    } catch (AttachListener.NoListener none) {
      throw cannotAttach(target, none.getMessage(), none);
    }
  }

  /**
   * Fails unless the listener's reply to {@code load} says the agent started: the JDK's reading of
   * it ({@code HotSpotVirtualMachine.loadAgent}), with its messages.
   */
  static void checkLoaded(
      JvmProcess target, Path agentJar, AttachListener.Reply reply, ProblemSource problem)
      throws AgentUnavailableException {
    if (reply.failed() != null) {
      throw refused(
          target, agentJar, "Failed to load agent library: " + reply.failed().message(), null);
    }
    String first =
        new String(reply.output(), StandardCharsets.UTF_8).lines().findFirst().orElse(null);
    if (first == null) {
      throw refused(target, agentJar, "Target VM did not respond", null);
    }
    if (!first.startsWith(RETURN_CODE)) {
      throw refused(target, agentJar, first, null);
    }
    int code;
    try {
      code = Integer.parseInt(first.substring(RETURN_CODE.length()).strip());
    } catch (NumberFormatException e) {
      throw refused(target, agentJar, first, e);
    }
    switch (code) {
      case 0 -> {}
      case JNI_ENOMEM -> throw refused(target, agentJar, "Insufficient memory", null);
      case ATTACH_ERROR_BADJAR ->
          throw refused(target, agentJar, "Agent JAR not found or no Agent-Class attribute", null);
      case ATTACH_ERROR_NOTONCP ->
          throw refused(target, agentJar, "Unable to add JAR file to system class path", null);
      case ATTACH_ERROR_STARTFAIL ->
          throw failedToStart(
              target, problem, "Agent JAR loaded but agent failed to initialize", null);
      default ->
          throw refused(target, agentJar, "Failed to load agent - unknown reason: " + code, null);
    }
  }

  private static String problem(AttachListener listener) {
    try {
      return listener.systemProperties().getProperty(ControlProtocol.PROBLEM_PROPERTY);
    } catch (AttachListener.Unexpected | ClientException e) {
      return null;
    }
  }

  private static void loadAgentThroughJdk(
      JvmProcess target, Path agentJar, String options, Duration timeout) throws ClientException {
    VirtualMachine vm = attach(target);
    try {
      load(vm, target, agentJar, options);
      awaitSocket(target, timeout, () -> problem(vm, null));
    } finally {
      detach(vm);
    }
  }

  private static Properties systemPropertiesThroughJdk(JvmProcess target) throws ClientException {
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
      throw cannotAttach(target, e.getMessage(), e);
    }
  }

  private static ClientException cannotAttach(JvmProcess target, String why, Exception cause) {
    if (!target.isAlive()) {
      return new TargetNotFoundException("JVM " + target.pid() + " has exited", cause);
    }
    return new AgentUnavailableException(
        "cannot attach to JVM "
            + target.pid()
            + " ("
            + why
            + "); if it runs with -XX:+DisableAttachMechanism or in a container jsplice cannot"
            + " enter, start it with -javaagent:jsplice-agent.jar instead",
        cause);
  }

  private static void load(VirtualMachine vm, JvmProcess target, Path agentJar, String options)
      throws ClientException {
    try {
      vm.loadAgent(agentJar.toString(), options);
    } catch (AgentLoadException e) {
      throw refused(target, agentJar, e.getMessage(), e);
    } catch (AgentInitializationException e) {
      throw failedToStart(target, () -> problem(vm, null), e.getMessage(), e);
    } catch (IOException e) {
      throw new AgentUnavailableException(
          "loading the agent into JVM " + target.pid() + " failed: " + e.getMessage(), e);
    }
  }

  private static AgentUnavailableException refused(
      JvmProcess target, Path agentJar, String why, Exception cause) {
    return new AgentUnavailableException(
        "JVM "
            + target.pid()
            + " refused to load the agent ("
            + why
            + "); a JVM started with -XX:-EnableDynamicAgentLoading loads agents only at"
            + " startup: restart it with -javaagent:"
            + agentJar,
        cause);
  }

  private static AgentUnavailableException failedToStart(
      JvmProcess target, ProblemSource problem, String fallback, Exception cause) {
    String reported = problem.problem();
    return new AgentUnavailableException(
        "the agent failed to start in JVM "
            + target.pid()
            + " ("
            + (reported != null ? reported : fallback)
            + ")",
        cause);
  }

  private static void awaitSocket(JvmProcess target, Duration timeout, ProblemSource problems)
      throws ClientException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (AgentSocket.locate(target) != null) {
        return;
      }
      String problem = problems.problem();
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
