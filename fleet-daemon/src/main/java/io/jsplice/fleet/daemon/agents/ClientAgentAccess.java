package io.jsplice.fleet.daemon.agents;

import io.jsplice.client.AgentClient;
import io.jsplice.client.AgentRefusedException;
import io.jsplice.client.Agents;
import io.jsplice.client.ClientException;
import io.jsplice.client.LocalJvm;
import io.jsplice.client.LocalJvms;
import io.jsplice.client.TargetNotFoundException;
import io.jsplice.client.VerifiedUpdate;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.InventoryReply;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.ReadingsReply;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.StatusReply;
import io.jsplice.protocol.message.TripwiresReply;
import io.jsplice.protocol.message.VerifyReply;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AgentAccess} through the client library: JVMs are found through {@code /proc} and selected
 * by their kernel-reported command line; the agent is loaded and reached as the JVM's own user; an
 * update travels as the verified bytes, with the keys they were verified against.
 *
 * <p>What a JVM loaded: with its agent, its {@code inventory} (the jars its loaded classes came
 * from), {@code show} (the updates in force, and which it reapplied at start) and {@code verify}
 * (the restart verdicts, reused for an hour); without it, the jars on its class path, from its
 * system properties (read once per JVM run), as far as the JVM's user could read them.
 *
 * <p>Thread-safe.
 */
public final class ClientAgentAccess implements AgentAccess {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(120);

  /** How long a JVM's verify answer is reused: it compares every loaded class with the disk. */
  private static final Duration VERIFY_REUSE = Duration.ofHours(1);

  private final JvmSelector selector;
  private final Agents agents;
  private final List<Path> trust;
  private final Duration applyTimeout;
  private final Map<String, Properties> properties = new ConcurrentHashMap<>();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Instant at, StaleVerdict stale, RestartOutlook outlook) {}

  /**
   * @param trust the daemon's trusted certificates: each update is verified against them here and
   *     again by the agent, which is handed their keys with the update
   */
  public ClientAgentAccess(
      JvmSelector selector, Agents agents, List<Path> trust, Duration applyTimeout) {
    this.selector = selector;
    this.agents = agents;
    this.trust = List.copyOf(trust);
    this.applyTimeout = applyTimeout;
  }

  @Override
  public List<ManagedJvm> discover() {
    List<ManagedJvm> out = new ArrayList<>();
    Set<String> live = new LinkedHashSet<>();
    for (LocalJvm jvm : LocalJvms.list()) {
      String commandLine = String.join(" ", jvm.commandLine());
      if (!selector.matches(commandLine)) {
        continue;
      }
      Instant started =
          ProcessHandle.of(jvm.pid()).flatMap(h -> h.info().startInstant()).orElse(null);
      String key = ManagedJvm.key(jvm.pid(), started);
      live.add(key);
      out.add(
          new ManagedJvm(
              jvm.pid(),
              key,
              started,
              commandLine,
              jvm.mainClass(),
              jvm.process().uid(),
              jvm.agent() == LocalJvm.AgentPresence.PRESENT));
    }
    properties.keySet().retainAll(live);
    verified.keySet().retainAll(live);
    return out;
  }

  @Override
  public JvmInventory inventory(ManagedJvm jvm) throws AgentAccessException {
    try {
      Optional<AgentClient> found = agents.find(jvm.pid());
      if (found.isPresent()) {
        AgentClient client = found.get().withTimeout(CALL_TIMEOUT);
        StatusReply status;
        try {
          status = client.status();
        } catch (TargetNotFoundException e) {
          throw e;
        } catch (ClientException notAnswering) {
          return withoutAgent(jvm); // a stale socket: read it as a JVM without an agent
        }
        return withAgent(jvm, client, status);
      }
      return withoutAgent(jvm);
    } catch (ClientException e) {
      throw failure(e);
    }
  }

  private JvmInventory withAgent(ManagedJvm jvm, AgentClient client, StatusReply status)
      throws ClientException {
    InventoryReply inventory = client.inventory();
    ShowReply show = client.show();
    Map<String, String> effective = new HashMap<>();
    for (EffectiveVersion e : inventory.effective()) {
      if (e.effectively() != null) {
        effective.put(e.groupId() + ":" + e.artifact(), e.effectively());
      }
    }
    List<LoadedArtifact> artifacts = new ArrayList<>();
    for (InventoryReply.Library library : inventory.libraries()) {
      artifacts.add(
          new LoadedArtifact(
              library.groupId(),
              library.artifactId(),
              library.version(),
              effective.get(library.groupId() + ":" + library.artifactId()),
              library.jar()));
    }
    List<JvmUpdate> updates = new ArrayList<>();
    for (ShowReply.Update u : show.updates()) {
      updates.add(new JvmUpdate(u.id(), instant(u.appliedAt()), u.appliedBy(), u.reapplied()));
    }
    Verified check = verified(jvm, client);
    return new JvmInventory(
        jvm.key(),
        jvm.pid(),
        jvm.mainClass(),
        jvm.commandLine(),
        status.jvmVersion(),
        jvm.startedAt(),
        true,
        status.service(),
        artifacts,
        updates,
        check.stale(),
        check.outlook());
  }

  private Verified verified(ManagedJvm jvm, AgentClient client) {
    Verified cached = verified.get(jvm.key());
    if (cached != null && cached.at().plus(VERIFY_REUSE).isAfter(Instant.now())) {
      return cached;
    }
    Verified fresh;
    try {
      VerifyReply reply = client.withTimeout(VERIFY_TIMEOUT).verify(true);
      boolean differs = reply.codeSources().stream().anyMatch(s -> s.state().differs());
      RestartOutlook outlook =
          switch (reply.verdict()) {
            case SAME_CODE -> RestartOutlook.SAME;
            case DIFFERENT_CODE -> RestartOutlook.DIFFERENT;
            case WOULD_LOSE_FIX -> RestartOutlook.WOULD_LOSE_FIX;
          };
      fresh =
          new Verified(Instant.now(), differs ? StaleVerdict.STALE : StaleVerdict.CURRENT, outlook);
    } catch (ClientException e) {
      fresh = new Verified(Instant.now(), StaleVerdict.UNKNOWN, RestartOutlook.UNKNOWN);
    }
    verified.put(jvm.key(), fresh);
    return fresh;
  }

  private JvmInventory withoutAgent(ManagedJvm jvm) throws ClientException {
    Properties props = properties.get(jvm.key());
    if (props == null) {
      props = agents.systemProperties(jvm.pid());
      properties.put(jvm.key(), props);
    }
    return new JvmInventory(
        jvm.key(),
        jvm.pid(),
        jvm.mainClass(),
        jvm.commandLine(),
        props.getProperty("java.version"),
        jvm.startedAt(),
        false,
        null,
        classPathArtifacts(props, JarArtifacts.Reader.ofProcess(jvm.pid(), jvm.uid())),
        List.of(),
        StaleVerdict.UNKNOWN,
        RestartOutlook.UNKNOWN);
  }

  /** The jars on the class path; relative entries are relative to the JVM's {@code user.dir}. */
  private static List<LoadedArtifact> classPathArtifacts(
      Properties props, JarArtifacts.Reader reader) {
    List<LoadedArtifact> out = new ArrayList<>();
    Path base = Path.of(props.getProperty("user.dir", "/"));
    for (String key : List.of("java.class.path", "jdk.module.path", "loader.path")) {
      String value = props.getProperty(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (String entry : value.split(File.pathSeparator)) {
        String path = entry.strip();
        if (path.endsWith(".jar")) {
          out.addAll(JarArtifacts.of(base.resolve(path).normalize().toString(), reader));
        }
      }
    }
    return out;
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException unparsable) {
      return null; // for display only
    }
  }

  @Override
  public void apply(ManagedJvm jvm, Path file, String updateId) throws AgentAccessException {
    apply(jvm, file, updateId, false);
  }

  @Override
  public void apply(ManagedJvm jvm, Path file, String updateId, boolean acceptLeftOut)
      throws AgentAccessException {
    try {
      VerifiedUpdate update = VerifiedUpdate.read(file, trust);
      if (!update.id().equals(updateId)) {
        throw new AgentAccessException(
            io.jsplice.model.control.FailureCause.CORRUPT_UPDATE,
            file + " holds update " + update.id() + ", not " + updateId,
            null);
      }
      AgentClient client =
          agents.connectOrLoad(jvm.pid(), AgentArguments.of(trust, null)).withTimeout(applyTimeout);
      if (acceptLeftOut) {
        client.applyLeavingOut(update, Quiescence.DEFAULT);
      } else {
        client.apply(update, Quiescence.DEFAULT);
      }
    } catch (ClientException e) {
      throw failure(e);
    } finally {
      verified.remove(jvm.key());
    }
  }

  @Override
  public void undo(ManagedJvm jvm, String updateId) throws AgentAccessException {
    try {
      Optional<AgentClient> found = agents.find(jvm.pid());
      if (found.isEmpty()) {
        throw new AgentAccessException(
            io.jsplice.model.control.FailureCause.WRONG_STATE,
            jvm.display() + " has no jsplice agent, so " + updateId + " is not applied there",
            null);
      }
      found.get().withTimeout(applyTimeout).undo(updateId, Quiescence.DEFAULT);
    } catch (ClientException e) {
      throw failure(e);
    } finally {
      verified.remove(jvm.key());
    }
  }

  @Override
  public ReadingsReply readings(ManagedJvm jvm, List<String> attributes)
      throws AgentAccessException {
    try {
      return agents
          .connectOrLoad(jvm.pid(), AgentArguments.of(trust, null))
          .withTimeout(CALL_TIMEOUT)
          .readings(attributes);
    } catch (ClientException e) {
      throw failure(e);
    }
  }

  @Override
  public TripwiresReply tripwires(ManagedJvm jvm, long after) throws AgentAccessException {
    try {
      Optional<AgentClient> found = agents.find(jvm.pid());
      if (found.isEmpty()) {
        return new TripwiresReply(List.of(), after, 0);
      }
      return found.get().withTimeout(CALL_TIMEOUT).tripwires(after);
    } catch (ClientException e) {
      throw failure(e);
    }
  }

  private static AgentAccessException failure(ClientException e) {
    List<String> leftOut = e instanceof AgentRefusedException refused ? refused.leftOut() : null;
    return new AgentAccessException(e.failure(), e.getMessage(), leftOut, e);
  }
}
