package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutState;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.api.client.Polled;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Staged rollouts on the server: rings decide which hosts' lists approve an update, an admin
 * promotes, pauses, resumes and rolls back, a failed health gate reported by any host pauses the
 * update everywhere, and a ring whose JVMs all passed their gate is promoted by itself.
 */
class RolloutTest {
  private static final String ID = TestUpdates.UPDATE_ID;

  @TempDir Path dir;

  /** Two hosts in group default with rings canary and main; both run the vulnerable release. */
  private record Fleet(
      RunningServer server, FleetClient admin, FleetClient canary, FleetClient main)
      implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  private Fleet fleet(Backend backend, String name, Long promoteAfter) throws Exception {
    RunningServer server = RunningServer.start(backend, dir, name);
    FleetClient admin = server.admin();
    admin.setRings("default", List.of("canary", "main"), promoteAfter);
    FleetClient canary = server.enrol("canary-1");
    FleetClient main = server.enrol("main-1");
    admin.setRing("canary-1", "canary");
    admin.setRing("main-1", "main");
    canary.report(Reports.of(Reports.jvm(11, "1.9")));
    main.report(Reports.of(Reports.jvm(21, "1.9")));
    admin.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    return new Fleet(server, admin, canary, main);
  }

  private static AvailableUpdate listed(FleetClient host) throws FleetException {
    return host.updates(null).value().updates().stream()
        .filter(u -> u.id().equals(ID))
        .findFirst()
        .orElseThrow();
  }

  private static Rollout rollout(FleetClient admin) throws FleetException {
    return admin.rollouts(ID).rollouts().stream()
        .filter(r -> r.group().equals("default"))
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPublishReachesTheFirstRing_andAnAdminPromotesPausesResumesAndRollsBack(Backend backend)
      throws Exception {
    try (Fleet f = fleet(backend, "rollout_admin", null)) {
      Rollout started = rollout(f.admin());
      assertThat(started.state()).isEqualTo(RolloutState.RUNNING);
      assertThat(started.rings()).containsExactly("canary", "main");
      assertThat(started.ring()).isZero();
      assertThat(listed(f.canary()).approved()).isTrue();
      assertThat(listed(f.main()).approved()).as("main waits for canary").isFalse();
      assertThatThrownBy(() -> f.main().updatePackage(ID))
          .isInstanceOf(FleetException.class)
          .hasMessageContaining("not approved");

      Polled<UpdateList> before = f.main().updates(null);
      Rollout promoted = f.admin().rollout(FleetPaths.ROLLOUT_PROMOTE, ID, "default", null);
      assertThat(promoted.state()).isEqualTo(RolloutState.COMPLETE);
      assertThat(f.main().updates(before.etag()).modified())
          .as("a promotion changes the main host's list, so its ETag")
          .isTrue();
      assertThat(listed(f.main()).approved()).isTrue();

      Rollout paused = f.admin().rollout(FleetPaths.ROLLOUT_PAUSE, ID, "default", "suspicious");
      assertThat(paused.state()).isEqualTo(RolloutState.PAUSED);
      assertThat(paused.reason()).isEqualTo("suspicious");
      assertThat(listed(f.canary()).approved()).isFalse();
      assertThat(listed(f.main()).approved()).isFalse();
      assertThatThrownBy(() -> f.admin().rollout(FleetPaths.ROLLOUT_PROMOTE, ID, "default", null))
          .isInstanceOf(FleetException.class)
          .hasMessageContaining("resume it first");

      f.admin().rollout(FleetPaths.ROLLOUT_RESUME, ID, "default", null);
      assertThat(listed(f.main()).approved()).isTrue();

      Rollout rolledBack =
          f.admin().rollout(FleetPaths.ROLLOUT_ROLLBACK, ID, "default", "breaks checkout");
      assertThat(rolledBack.state()).isEqualTo(RolloutState.ROLLED_BACK);
      assertThat(listed(f.canary()).withdrawn()).isTrue();
      assertThat(listed(f.main()).withdrawn()).isTrue();
      assertThat(listed(f.main()).approved()).isFalse();

      Rollout restarted = f.admin().rollout(FleetPaths.ROLLOUT_START, ID, "default", null);
      assertThat(restarted.state()).isEqualTo(RolloutState.RUNNING);
      assertThat(restarted.ring()).isZero();
      assertThat(listed(f.canary()).approved()).isTrue();
      assertThat(listed(f.canary()).withdrawn()).isFalse();

      assertThat(f.admin().audit(0, 100).entries())
          .extracting(e -> e.action())
          .containsSubsequence(
              "group.rings",
              "update.publish",
              "rollout.promote",
              "rollout.pause",
              "rollout.resume",
              "rollout.rollback",
              "rollout.start");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aFailedHealthGate_pausesTheUpdateInEveryGroup_andTheRolloutSaysWhy(Backend backend)
      throws Exception {
    try (Fleet f = fleet(backend, "rollout_gate", 0L)) {
      f.admin()
          .putGroup(
              "batch",
              new io.jsplice.fleet.api.GroupSettings(
                  io.jsplice.fleet.api.ApplyPolicy.AUTOMATIC, null));
      HostReport failed =
          Reports.withEvent(EventKind.HEALTH_GATE_FAILED, ID, Reports.jvm(11, "1.9"));
      f.canary().report(failed);

      for (Rollout rollout : f.admin().rollouts(ID).rollouts()) {
        assertThat(rollout.state()).as(rollout.group()).isEqualTo(RolloutState.PAUSED);
        assertThat(rollout.reason()).startsWith("health gate failed on canary-1: ");
      }
      assertThat(listed(f.canary()).approved()).isFalse();
      assertThat(listed(f.main()).approved()).isFalse();
      f.canary().report(failed); // the same report again changes nothing
      assertThat(
              f.admin().audit(0, 100).entries().stream()
                  .filter(e -> e.action().equals("rollout.pause"))
                  .count())
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aRingWhoseJvmsAllPassedTheirGate_isPromotedByItself(Backend backend) throws Exception {
    try (Fleet f = fleet(backend, "rollout_auto", 0L)) {
      // Applied, but not yet through its gate: the ring is not healthy yet.
      f.canary().report(Reports.withEvent(EventKind.APPLIED, ID, Reports.jvm(11, "1.9", ID)));
      assertThat(rollout(f.admin()).ring()).isZero();
      assertThat(listed(f.main()).approved()).isFalse();

      f.canary()
          .report(Reports.withEvent(EventKind.HEALTH_GATE_PASSED, ID, Reports.jvm(11, "1.9", ID)));

      Rollout promoted = rollout(f.admin());
      assertThat(promoted.ring()).isEqualTo(1);
      assertThat(promoted.state()).isEqualTo(RolloutState.COMPLETE);
      assertThat(promoted.changedBy()).isEqualTo("auto-promotion");
      assertThat(promoted.progress().get(0).jvmsHealthy()).isEqualTo(1);
      assertThat(listed(f.main()).approved()).isTrue();
    }
  }
}
