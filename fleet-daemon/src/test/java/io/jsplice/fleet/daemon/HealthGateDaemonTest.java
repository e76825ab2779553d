package io.jsplice.fleet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutState;
import io.jsplice.fleet.daemon.agents.JvmSelector;
import io.jsplice.fleet.daemon.health.HealthCheck;
import io.jsplice.fleet.daemon.health.HealthGate;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.model.signing.TrustedKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's part of staged rollouts, against a real in-process server: the health gate after an
 * apply (a JMX reading worse than before undoes the update there and pauses its rollout everywhere;
 * a healthy JVM passes), Livepatch's rule for a JVM that dies after an update, and a rollback that
 * undoes the update wherever it is in force.
 */
class HealthGateDaemonTest {
  private static final String TEXT = TestUpdates.UPDATE_ID;
  private static final String ERRORS = "app:type=Errors#Count";

  @TempDir Path dir;
  private ServerForTests server;
  private FakeAgents agents;

  @BeforeEach
  void start() throws Exception {
    server = ServerForTests.start(dir.resolve("server"), 0);
    agents = new FakeAgents(TrustedKeys.load(List.of(TestUpdates.get().trustedCertificate())));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Daemon daemon(HealthGate gate) throws Exception {
    URI url = server.url();
    return Daemon.open(
        new DaemonConfig(
            url,
            dir.resolve("server").resolve("enrol.key"),
            "host-1",
            null,
            dir.resolve("state"),
            List.of(TestUpdates.get().trustedCertificate()),
            Duration.ofSeconds(1),
            null,
            JvmSelector.all()),
        agents,
        gate);
  }

  private static LoadedArtifact commonsText() {
    return new LoadedArtifact(
        TestUpdates.GROUP_ID, TestUpdates.ARTIFACT_ID, "1.9", null, "/srv/lib/commons-text.jar");
  }

  private void publish() throws Exception {
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
  }

  private List<FleetEvent> events(EventKind kind) throws Exception {
    return server.admin().events(0, 1000).events().stream().filter(e -> e.kind() == kind).toList();
  }

  private Rollout rollout() throws Exception {
    return server.admin().rollouts(TEXT).rollouts().stream()
        .filter(r -> r.group().equals("default"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aReadingWorseThanBeforeTheUpdate_undoesItThere_andPausesItsRolloutEverywhere()
      throws Exception {
    Daemon daemon =
        daemon(
            new HealthGate(
                List.of(HealthCheck.parse("jmx=" + ERRORS + ";rise<=0")), Duration.ofHours(1)));
    FakeAgents.Jvm jvm = agents.start(11, 1000, commonsText()).reading(ERRORS, 3, 9);
    daemon.cycle(); // enrols and reports
    publish();

    daemon.cycle();

    assertThat(agents.applies).containsExactly(TEXT + " to 11");
    assertThat(agents.undos).containsExactly(TEXT + " in 11");
    assertThat(jvm.runs(TEXT)).isFalse();
    assertThat(events(EventKind.HEALTH_GATE_FAILED))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains(ERRORS + " rose by 6 after the update (from 3 to 9")
                    .contains("the daemon undid it there"));
    Rollout rollout = rollout();
    assertThat(rollout.state()).isEqualTo(RolloutState.PAUSED);
    assertThat(rollout.reason()).startsWith("health gate failed on host-1: ").contains("rose by 6");

    server.admin().rollout(FleetPaths.ROLLOUT_RESUME, TEXT, "default", null);
    daemon.cycle();
    daemon.cycle();
    assertThat(agents.applies).as("not tried again in this JVM run").hasSize(1);
  }

  @Test
  void aJvmThatStaysHealthy_passesItsGate() throws Exception {
    Daemon daemon =
        daemon(
            new HealthGate(
                List.of(HealthCheck.parse("jmx=" + ERRORS + ";rise<=0")), Duration.ZERO));
    FakeAgents.Jvm jvm = agents.start(12, 1000, commonsText()).reading(ERRORS, 3, 3);
    daemon.cycle();
    publish();

    daemon.cycle();

    assertThat(jvm.runs(TEXT)).isTrue();
    assertThat(events(EventKind.HEALTH_GATE_PASSED))
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(12));
    assertThat(rollout().state()).isEqualTo(RolloutState.COMPLETE);
  }

  @Test
  void aJvmThatDiesWhileWatched_neverGetsTheUpdateAgainFromTheDaemonAfterItsRestart()
      throws Exception {
    Daemon daemon = daemon(HealthGate.aliveOnly(Duration.ofHours(1)));
    FakeAgents.Jvm first = agents.start(21, 1000, commonsText());
    daemon.cycle();
    publish();
    daemon.cycle();
    assertThat(first.runs(TEXT)).isTrue();

    agents.exit(first);
    FakeAgents.Jvm restarted = agents.start(22, 2000, commonsText());
    daemon.cycle();
    daemon.cycle();

    assertThat(restarted.runs(TEXT)).isFalse();
    assertThat(agents.applies).containsExactly(TEXT + " to 21");
    assertThat(events(EventKind.JVM_DIED_AFTER_UPDATE))
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(21));
    assertThat(rollout().state()).isEqualTo(RolloutState.PAUSED);
    assertThat(rollout().reason()).startsWith("a JVM died on host-1: ");

    // Resumed, the update is applied wherever it may be, but not to the restarted JVM; a new
    // daemon process on the same state keeps the rule.
    server.admin().rollout(FleetPaths.ROLLOUT_RESUME, TEXT, "default", null);
    Daemon again = daemon(HealthGate.aliveOnly(Duration.ofHours(1)));
    again.cycle();
    again.cycle();
    assertThat(restarted.runs(TEXT)).isFalse();
    assertThat(agents.applies).containsExactly(TEXT + " to 21");
    assertThat(events(EventKind.SKIPPED_BLOCKED))
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(22));
  }

  @Test
  void aRollback_undoesTheUpdateWhereItIsInForce_andARestartedRolloutAppliesItAgain()
      throws Exception {
    Daemon daemon = daemon(HealthGate.aliveOnly(Duration.ZERO));
    FakeAgents.Jvm jvm = agents.start(31, 1000, commonsText());
    daemon.cycle();
    publish();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isTrue();

    server.admin().rollout(FleetPaths.ROLLOUT_ROLLBACK, TEXT, "default", "bad update");
    daemon.cycle();

    assertThat(jvm.runs(TEXT)).isFalse();
    assertThat(events(EventKind.UNDONE_BY_ROLLOUT)).hasSize(1);
    assertThat(events(EventKind.UNDONE_BY_OPERATOR)).isEmpty();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).as("not applied while rolled back").isFalse();

    server.admin().rollout(FleetPaths.ROLLOUT_START, TEXT, "default", null);
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isTrue();
    assertThat(agents.applies).containsExactly(TEXT + " to 31", TEXT + " to 31");
  }
}
