package io.jsplice.client;

import io.jsplice.client.internal.AgentSocket;
import io.jsplice.client.internal.HotSpotAttach;
import io.jsplice.client.internal.InProcessAttachment;
import io.jsplice.client.internal.TargetUserAttachment;
import io.jsplice.client.spi.AttachmentProvider;
import io.jsplice.protocol.AgentArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The entry point of the client library: reaches the jsplice agent in local JVMs, loading it when
 * asked. Attaching goes through an {@link AttachmentProvider}; by default {@link #attachments()}:
 * from this process when it runs as the target's user, else (as root) from a helper that runs as
 * the target's user, never with root's privileges.
 *
 * <p>Immutable and thread-safe.
 */
public final class Agents {
  /** The system property that names the agent jar; {@code bin/jsplice} sets it. */
  public static final String AGENT_JAR_PROPERTY = "jsplice.agent.jar";

  private static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);

  private final Path agentJar; // null: loading refused
  private final AttachmentProvider attachment;
  private final Duration socketTimeout;

  private Agents(Path agentJar, AttachmentProvider attachment, Duration socketTimeout) {
    this.agentJar = agentJar;
    this.attachment = attachment;
    this.socketTimeout = socketTimeout;
  }

  /** Agents loaded from {@code agentJar}, attached to the default way. */
  public static Agents withAgentJar(Path agentJar) {
    return new Agents(agentJar.toAbsolutePath(), attachments(), DEFAULT_SOCKET_TIMEOUT);
  }

  /**
   * Agents loaded from the jar {@value #AGENT_JAR_PROPERTY} names; if it names none, everything but
   * loading works.
   */
  public static Agents fromSystemProperty() {
    String jar = System.getProperty(AGENT_JAR_PROPERTY);
    return new Agents(
        jar == null || jar.isBlank() ? null : Path.of(jar).toAbsolutePath(),
        attachments(),
        DEFAULT_SOCKET_TIMEOUT);
  }

  /** The default attachment: as the target's user, from here or through a helper. */
  public static AttachmentProvider attachments() {
    return new AttachmentProvider.Compound(
        List.of(new InProcessAttachment(), new TargetUserAttachment()));
  }

  /** These agents, attached to through {@code provider}. */
  public Agents attachingWith(AttachmentProvider provider) {
    return new Agents(agentJar, Objects.requireNonNull(provider, "provider"), socketTimeout);
  }

  /**
   * These agents, waiting at most {@code timeout} for the socket after loading, and in a JVM
   * started with the agent whose socket is not open yet ({@link #find}).
   */
  public Agents withSocketTimeout(Duration timeout) {
    return new Agents(agentJar, attachment, Objects.requireNonNull(timeout, "timeout"));
  }

  /** The agent jar; may be null. */
  public Path agentJar() {
    return agentJar;
  }

  /**
   * The agent in JVM {@code pid} if it has one; never loads it. Empty means the process holds no
   * jsplice control socket and was not started with the agent, which only its own user and root can
   * tell. A JVM started with the agent ({@code -javaagent} on its command line) whose socket is not
   * open yet, because it is starting, is waited for, at most the {@linkplain #withSocketTimeout
   * socket timeout}.
   *
   * @throws TargetNotFoundException if there is no such process, or it exits meanwhile
   * @throws AgentUnavailableException if this user may not look into it, or it was started with the
   *     agent but no socket appeared in time
   * @throws UntrustedAgentException if its socket is not private to its user
   */
  public Optional<AgentClient> find(long pid) throws ClientException {
    JvmProcess target = JvmProcess.of(pid);
    ControlSocketSearch.Found found = ControlSocketSearch.locate(target, socketTimeout);
    if (found.absentBecause() != null) {
      throw new AgentUnavailableException(found.absentBecause());
    }
    return found.socket() == null
        ? Optional.empty()
        : Optional.of(new AgentClient(target, found.socket(), AgentClient.DEFAULT_TIMEOUT));
  }

  /**
   * A client for the agent in JVM {@code pid}, loading the agent first unless one answers already
   * (then {@code arguments} are not passed: an update's trust travels with each apply instead).
   */
  public AgentClient connectOrLoad(long pid, AgentArguments arguments) throws ClientException {
    Optional<AgentClient> answering = answering(pid);
    return answering.isPresent() ? answering.get() : load(pid, arguments);
  }

  /**
   * The agent in JVM {@code pid} if it has one that answers; never loads it. Empty also when the
   * JVM holds the socket but no agent answers on it, or was started with the agent but holds no
   * socket (waited for as by {@link #find}): loading the agent again reopens it.
   *
   * @throws TargetNotFoundException if there is no such process
   * @throws AgentUnavailableException if this user may not look into it
   * @throws UntrustedAgentException if its socket is not private to its user, or its peer is not
   *     the JVM's user
   */
  public Optional<AgentClient> answering(long pid) throws ClientException {
    JvmProcess target = JvmProcess.of(pid);
    Path socket = ControlSocketSearch.locate(target, socketTimeout).socket();
    Optional<AgentClient> present =
        socket == null
            ? Optional.empty()
            : Optional.of(new AgentClient(target, socket, AgentClient.DEFAULT_TIMEOUT));
    if (present.isPresent()) {
      try {
        present.get().withTimeout(AgentClient.PROBE_TIMEOUT).status();
        return present;
      } catch (AgentUnavailableException noAnswer) {
        if (noAnswer instanceof UntrustedAgentException) {
          throw noAnswer;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Readies this process to connect to an agent, touching no other process: the classes and native
   * code of its socket loaded and started. A caller may run it on another thread while it reads the
   * update it is about to send, so that the connection that follows starts sooner. Optional and
   * best effort: a connection does whatever this did not.
   */
  public static void prepareToConnect() {
    AgentSocket.prepare();
  }

  /**
   * Readies this process to load an agent, touching no other process: {@link #prepareToConnect},
   * and the attach's classes and native libraries loaded. A caller may run it on another thread
   * while it checks the update it is about to apply, so that the attach that follows the check
   * starts sooner. Optional and best effort: {@link #load} does whatever this did not.
   */
  public static void prepareToLoad() {
    HotSpotAttach.prepare();
  }

  /**
   * Loads the agent into JVM {@code pid} and returns a client once its control socket answers. If
   * an agent runs there already it is not started again: it takes {@code arguments} instead.
   *
   * @throws TargetNotFoundException if there is no such process or it is not a Java VM
   * @throws AgentUnavailableException if attaching or loading fails or no socket answers in time
   */
  public AgentClient load(long pid, AgentArguments arguments) throws ClientException {
    AgentClient client = loadWithoutProbe(pid, arguments);
    // A freshly loaded agent answers once its classes are loaded, which on a busy machine takes
    // seconds: wait as for any call, not as for a probe of an agent that should be idle.
    client.status();
    return client;
  }

  /**
   * As {@link #load}, without the status call that waits for the agent to answer: for a caller
   * whose next call is the request it loaded the agent for (an apply), which waits for the answer
   * as long and checks the socket's peer before it sends anything, as the status call does. One
   * round trip less on a cold apply: the agent's first request is the apply, not a status whose own
   * classes it loads first.
   */
  public AgentClient loadWithoutProbe(long pid, AgentArguments arguments) throws ClientException {
    if (agentJar == null) {
      throw new AgentUnavailableException(
          "no agent jar is named, so jsplice cannot load its agent; run jsplice through"
              + " bin/jsplice, which names it, or pass -D"
              + AGENT_JAR_PROPERTY
              + "=PATH");
    }
    if (!Files.isRegularFile(agentJar)) {
      throw new AgentUnavailableException(
          "the agent jar "
              + agentJar
              + " does not exist; reinstall jsplice or set "
              + AGENT_JAR_PROPERTY);
    }
    if (pid == ProcessHandle.current().pid()) {
      throw new BadRequestException("pid " + pid + " is jsplice itself; name the JVM to update");
    }
    JvmProcess target = JvmProcess.of(pid);
    if (!target.reachableByThisUser()) {
      throw target.notReachable();
    }
    target.requireJavaVm();
    String options;
    try {
      options = arguments.format();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    attachment.loadAgent(target, agentJar, options, socketTimeout);
    Path socket = AgentSocket.locate(target);
    if (socket == null) {
      throw new AgentUnavailableException(
          "the agent loaded into JVM " + pid + " but its control socket is gone; see its log");
    }
    return new AgentClient(target, socket, AgentClient.DEFAULT_TIMEOUT);
  }

  /**
   * The system properties of JVM {@code pid}, read through the attach API without loading the agent
   * (the JVM starts its attach listener, as {@code jcmd} makes it do).
   */
  public Properties systemProperties(long pid) throws ClientException {
    JvmProcess target = JvmProcess.of(pid);
    if (!target.reachableByThisUser()) {
      throw target.notReachable();
    }
    target.requireJavaVm();
    return attachment.systemProperties(target);
  }
}
