package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.daemon.agents.AgentAccess;
import io.jsplice.fleet.daemon.agents.AgentAccessException;
import io.jsplice.fleet.daemon.agents.ManagedJvm;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JVMs for the daemon's unit tests, standing in for real agents (the end-to-end tests use real
 * ones): each has the libraries it loaded, the updates in force, and scripted failures for its next
 * applies. An apply checks that the file it is handed is an intact update signed by the trusted
 * key, as an agent would.
 */
final class FakeAgents implements AgentAccess {
  private final Map<String, Jvm> jvms = new LinkedHashMap<>();
  private final TrustedKeys trusted;
  final List<String> applies = new ArrayList<>();

  FakeAgents(TrustedKeys trusted) {
    this.trusted = trusted;
  }

  /** One fake JVM run. */
  static final class Jvm {
    final ManagedJvm managed;
    final List<LoadedArtifact> artifacts;
    final Map<String, JvmUpdate> updates = new LinkedHashMap<>();
    final Deque<FailureCause> failures = new ArrayDeque<>();
    final Map<String, double[]> jmx = new LinkedHashMap<>();

    Jvm(ManagedJvm managed, List<LoadedArtifact> artifacts) {
      this.managed = managed;
      this.artifacts = artifacts;
    }

    /** Its next applies fail with these causes, in order. */
    Jvm failing(FailureCause... causes) {
      failures.addAll(List.of(causes));
      return this;
    }

    /** An update in force, as an agent that reapplied it at start reports it. */
    Jvm reapplied(String id) {
      updates.put(id, new JvmUpdate(id, Instant.now(), "agent", true));
      return this;
    }

    void undo(String id) {
      updates.remove(id);
    }

    boolean runs(String id) {
      return updates.containsKey(id);
    }

    /** A JMX reading: {@code before} while no update is in force, {@code after} once one is. */
    Jvm reading(String attribute, double before, double after) {
      jmx.put(attribute, new double[] {before, after});
      return this;
    }
  }

  final List<String> undos = new ArrayList<>();

  @Override
  public void undo(ManagedJvm managed, String updateId) throws AgentAccessException {
    undos.add(updateId + " in " + managed.pid());
    Jvm jvm = jvms.get(managed.key());
    if (jvm == null) {
      throw new AgentAccessException(FailureCause.TARGET_NOT_FOUND, "JVM exited", null);
    }
    if (jvm.updates.remove(updateId) == null) {
      throw new AgentAccessException(FailureCause.WRONG_STATE, updateId + " is not applied", null);
    }
  }

  @Override
  public io.jsplice.protocol.message.ReadingsReply readings(
      ManagedJvm managed, List<String> attributes) throws AgentAccessException {
    Jvm jvm = jvms.get(managed.key());
    if (jvm == null) {
      throw new AgentAccessException(FailureCause.TARGET_NOT_FOUND, "JVM exited", null);
    }
    List<io.jsplice.protocol.message.ReadingsReply.Reading> out = new ArrayList<>();
    for (String attribute : attributes) {
      double[] values = jvm.jmx.get(attribute);
      out.add(
          values == null
              ? new io.jsplice.protocol.message.ReadingsReply.Reading(
                  attribute, null, 0, "no such MBean")
              : new io.jsplice.protocol.message.ReadingsReply.Reading(
                  attribute, jvm.updates.isEmpty() ? values[0] : values[1], 1, null));
    }
    return new io.jsplice.protocol.message.ReadingsReply(out, 1000);
  }

  /** Starts a JVM run with {@code pid} that loaded these releases. */
  Jvm start(long pid, long startMillis, LoadedArtifact... artifacts) {
    Instant started = Instant.ofEpochMilli(startMillis);
    ManagedJvm managed =
        new ManagedJvm(pid, ManagedJvm.key(pid, started), started, "java App", "App", 0, false);
    Jvm jvm = new Jvm(managed, List.of(artifacts));
    jvms.put(managed.key(), jvm);
    return jvm;
  }

  void exit(Jvm jvm) {
    jvms.remove(jvm.managed.key());
  }

  @Override
  public List<ManagedJvm> discover() {
    return jvms.values().stream().map(j -> j.managed).toList();
  }

  @Override
  public JvmInventory inventory(ManagedJvm managed) throws AgentAccessException {
    Jvm jvm = jvms.get(managed.key());
    if (jvm == null) {
      throw new AgentAccessException(FailureCause.TARGET_NOT_FOUND, "JVM exited", null);
    }
    return new JvmInventory(
        managed.key(),
        managed.pid(),
        managed.mainClass(),
        managed.commandLine(),
        "17",
        managed.startedAt(),
        !jvm.updates.isEmpty(),
        null,
        jvm.artifacts,
        List.copyOf(jvm.updates.values()),
        StaleVerdict.UNKNOWN,
        RestartOutlook.UNKNOWN);
  }

  @Override
  public void apply(ManagedJvm managed, Path file, String updateId) throws AgentAccessException {
    applies.add(updateId + " to " + managed.pid());
    Jvm jvm = jvms.get(managed.key());
    if (jvm == null) {
      throw new AgentAccessException(
          FailureCause.TARGET_NOT_FOUND, "JVM " + managed.pid() + " has exited", null);
    }
    FailureCause failure = jvm.failures.poll();
    if (failure != null) {
      throw new AgentAccessException(failure, failure + " in JVM " + managed.pid(), null);
    }
    try {
      String id = UpdateFile.read(file, trusted).update().id();
      if (!id.equals(updateId)) {
        throw new AssertionError("handed " + id + " for " + updateId);
      }
    } catch (Exception e) {
      throw new AssertionError("the daemon handed an update the agent would refuse: " + e, e);
    }
    if (jvm.updates.containsKey(updateId)) {
      throw new AgentAccessException(
          FailureCause.WRONG_STATE, updateId + " is applied already", null);
    }
    jvm.updates.put(updateId, new JvmUpdate(updateId, Instant.now(), "root", false));
  }
}
