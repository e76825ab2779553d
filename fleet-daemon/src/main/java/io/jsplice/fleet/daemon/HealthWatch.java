package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.daemon.agents.AgentAccess;
import io.jsplice.fleet.daemon.agents.AgentAccessException;
import io.jsplice.fleet.daemon.agents.ManagedJvm;
import io.jsplice.fleet.daemon.health.HealthCheck;
import io.jsplice.fleet.daemon.health.HealthGate;
import io.jsplice.fleet.daemon.health.HealthProbe;
import io.jsplice.fleet.daemon.health.Readings;
import io.jsplice.fleet.daemon.state.Blocked;
import io.jsplice.fleet.daemon.state.Ledger;
import io.jsplice.fleet.daemon.state.Watched;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health gate at work in the daemon ({@link HealthGate}): reads a JVM's checks just before an
 * update, watches the JVM after it, and decides. A failed check undoes the update in that JVM (the
 * ledger keeps it from being applied to that run again) and is reported as {@link
 * EventKind#HEALTH_GATE_FAILED}, on which the server pauses the update's rollout everywhere. A JVM
 * that exits while watched is reported as {@link EventKind#JVM_DIED_AFTER_UPDATE} and blocked: the
 * daemon never applies that update to a JVM with that command line again by itself. A JVM that
 * stays healthy for the watch passes ({@link EventKind#HEALTH_GATE_PASSED}), which lets the server
 * promote the rollout to the next ring.
 *
 * <p>Used by the daemon's one loop thread only.
 */
final class HealthWatch {
  private static final Logger LOG = LoggerFactory.getLogger("jsplice.daemon");

  /** Where the daemon's events go. */
  interface Events {
    void event(
        EventKind kind, String jvmKey, long pid, String updateId, String cause, String message);
  }

  private final HealthGate gate;
  private final HealthProbe probe;
  private final AgentAccess agents;
  private final Ledger ledger;
  private final Watched watched;
  private final Blocked blocked;
  private final Events events;

  HealthWatch(
      HealthGate gate,
      AgentAccess agents,
      Ledger ledger,
      Watched watched,
      Blocked blocked,
      Events events) {
    this.gate = gate;
    this.probe = new HealthProbe(agents);
    this.agents = agents;
    this.ledger = ledger;
    this.watched = watched;
    this.blocked = blocked;
    this.events = events;
  }

  Watched watched() {
    return watched;
  }

  Blocked blocked() {
    return blocked;
  }

  /** The same JVM across restarts: the SHA-256 of its command line, as the kernel has it. */
  static String identity(ManagedJvm jvm) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(jvm.commandLine().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether an earlier run of this JVM died soon after {@code updateId}. */
  boolean blocks(ManagedJvm jvm, String updateId) {
    return blocked.blocks(identity(jvm), updateId);
  }

  /** What the JVM's checks read now, just before an update. */
  Readings before(ManagedJvm jvm) {
    List<HealthCheck> checks = gate.checksFor(jvm.commandLine());
    return checks.isEmpty() ? Readings.NONE : probe.read(jvm, checks);
  }

  /**
   * Starts watching {@code jvm} after the daemon applied {@code updateId}, and checks it at once.
   *
   * @return false when the first check failed and the update was undone
   */
  boolean applied(ManagedJvm jvm, String updateId, Readings before) {
    Watched.Entry entry =
        new Watched.Entry(
            jvm.key(), jvm.pid(), jvm.display(), identity(jvm), updateId, Instant.now(), before);
    watched.entries().add(entry);
    return check(entry, jvm, Instant.now());
  }

  /**
   * Checks every watched JVM.
   *
   * @param live the JVMs running now, by key
   */
  void check(Map<String, ManagedJvm> live, Instant now) {
    for (Watched.Entry entry : new ArrayList<>(watched.entries())) {
      ManagedJvm jvm = live.get(entry.jvmKey());
      if (jvm == null) {
        died(entry);
      } else {
        check(entry, jvm, now);
      }
    }
  }

  /** Returns false when the gate failed. */
  private boolean check(Watched.Entry entry, ManagedJvm jvm, Instant now) {
    List<HealthCheck> checks = gate.checksFor(jvm.commandLine());
    Optional<String> failure =
        checks.isEmpty()
            ? Optional.empty()
            : HealthGate.failure(checks, entry.before(), probe.read(jvm, checks));
    if (failure.isPresent()) {
      watched.entries().remove(entry);
      failed(entry, jvm, failure.get());
      return false;
    }
    if (!now.isBefore(entry.appliedAt().plus(gate.watch()))) {
      watched.entries().remove(entry);
      LOG.info(
          "{} stayed healthy after {} ({}): the health gate passed",
          jvm.display(),
          entry.updateId(),
          checks.isEmpty() ? "alive" : describe(checks));
      events.event(
          EventKind.HEALTH_GATE_PASSED,
          jvm.key(),
          jvm.pid(),
          entry.updateId(),
          null,
          jvm.display()
              + " stayed healthy after "
              + entry.updateId()
              + " for "
              + gate.watch().toSeconds()
              + " s ("
              + (checks.isEmpty() ? "alive" : "alive, " + describe(checks))
              + ")");
    }
    return true;
  }

  private static String describe(List<HealthCheck> checks) {
    return String.join(", ", checks.stream().map(HealthCheck::describe).toList());
  }

  private void failed(Watched.Entry entry, ManagedJvm jvm, String reason) {
    String undone;
    Ledger.Entry before = ledger.get(jvm.key(), entry.updateId());
    try {
      agents.undo(jvm, entry.updateId());
      undone = "the daemon undid it there";
    } catch (AgentAccessException e) {
      undone = "undoing it there failed (" + e.failure() + ": " + e.getMessage() + ")";
    }
    ledger.put(
        jvm.key(),
        entry.updateId(),
        new Ledger.Entry(
            Ledger.Outcome.GATE_FAILED,
            before == null ? 1 : before.attempts(),
            Instant.now(),
            "HEALTH_GATE_FAILED"));
    String message =
        "health gate failed in "
            + jvm.display()
            + " after "
            + entry.updateId()
            + ": "
            + reason
            + "; "
            + undone;
    LOG.warn("{}", message);
    events.event(
        EventKind.HEALTH_GATE_FAILED,
        jvm.key(),
        jvm.pid(),
        entry.updateId(),
        "HEALTH_GATE_FAILED",
        message);
  }

  private void died(Watched.Entry entry) {
    watched.entries().remove(entry);
    if (!blocked.blocks(entry.identity(), entry.updateId())) {
      blocked
          .entries()
          .add(
              new Blocked.Entry(
                  entry.identity(),
                  entry.updateId(),
                  Instant.now(),
                  entry.display(),
                  entry.display() + " exited while watched after " + entry.updateId()));
    }
    String message =
        entry.display()
            + " exited "
            + java.time.Duration.between(entry.appliedAt(), Instant.now()).toSeconds()
            + " s after "
            + entry.updateId()
            + " was applied, within the health watch; the daemon will not apply "
            + entry.updateId()
            + " to it again by itself after a restart";
    LOG.warn("{}", message);
    events.event(
        EventKind.JVM_DIED_AFTER_UPDATE,
        entry.jvmKey(),
        entry.pid(),
        entry.updateId(),
        "JVM_DIED_AFTER_UPDATE",
        message);
  }
}
