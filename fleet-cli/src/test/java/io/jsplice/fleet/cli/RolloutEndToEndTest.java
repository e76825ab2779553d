package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutState;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged rollout whose canary fails its health gate, with every part real: a {@code jsplice
 * server} process, two {@code jsplice daemon} processes (ring canary and ring main), and two JVMs
 * on jettison 1.5.0 whose health URL the jettison fix breaks. The canary's daemon applies the
 * update, sees its health URL fail, undoes the update there; the server pauses the rollout and says
 * why; the main ring's JVM never gets the update.
 */
class RolloutEndToEndTest {
  @TempDir Path dir;

  @RegisterExtension final Started started = new Started();

  @Test
  void
      aCanaryWhoseHealthUrlFailsAfterTheUpdate_isUndone_pausesTheRollout_andTheMainRingNeverGetsIt()
          throws Exception {
    TestUpdates.Jettison jettison = TestUpdates.jettison();
    Path trust = TestUpdates.get().trustedCertificate();
    ServerProcess server = started.keep(ServerProcess.start(dir.resolve("server"), trust, null));
    FleetClient admin = server.admin();
    admin.setRings("default", List.of("canary", "main"), 0L);

    HealthTarget canary = started.keep(HealthTarget.start("host-c"));
    HealthTarget main = started.keep(HealthTarget.start("host-m"));
    assertThat(canary.health()).isEqualTo(200);
    DaemonProcess canaryDaemon =
        started.keep(
            DaemonProcess.start(
                "host-c",
                server.url(),
                server.enrolKey(),
                dir.resolve("daemon-c"),
                trust,
                "--health",
                "url=" + canary.healthUrl(),
                "--health-watch",
                "0"));
    DaemonProcess mainDaemon =
        started.keep(
            DaemonProcess.start(
                "host-m",
                server.url(),
                server.enrolKey(),
                dir.resolve("daemon-m"),
                trust,
                "--health-watch",
                "0"));
    Await.until(
        "both hosts reported their JVM",
        () -> ServerView.jvms(admin, "host-c") == 1 && ServerView.jvms(admin, "host-m") == 1,
        () -> canaryDaemon.outputs() + mainDaemon.outputs());
    admin.setRing("host-c", "canary");
    admin.setRing("host-m", "main");

    FleetEndToEndTest.cli(
        "publish",
        jettison.signed().toString(),
        "--server",
        server.url().toString(),
        "--token-file",
        server.adminToken().toString());

    Await.until(
        "the canary's daemon reported its failed health gate",
        () -> !events(admin, "host-c", EventKind.HEALTH_GATE_FAILED).isEmpty(),
        () -> canaryDaemon.outputs() + canary.outputs());
    FleetEvent failed = events(admin, "host-c", EventKind.HEALTH_GATE_FAILED).get(0);
    assertThat(failed.pid()).isEqualTo(canary.pid());
    assertThat(failed.message())
        .contains(canary.healthUrl() + " answered 500 after the update (200 before)")
        .contains("the daemon undid it there");
    assertThat(events(admin, "host-c", EventKind.APPLIED)).hasSize(1);
    assertThat(canary.fixed()).as("undone in the canary").isFalse();
    assertThat(canary.health()).isEqualTo(200);

    Rollout rollout =
        admin.rollouts(TestUpdates.Jettison.UPDATE_ID).rollouts().stream()
            .filter(r -> r.group().equals("default"))
            .findFirst()
            .orElseThrow();
    assertThat(rollout.state()).isEqualTo(RolloutState.PAUSED);
    assertThat(rollout.ring()).as("still at the canary ring").isZero();
    assertThat(rollout.reason())
        .startsWith("health gate failed on host-c: ")
        .contains("answered 500 after the update");

    // Both daemons keep polling: the canary is not patched again, the main ring never is.
    canaryDaemon.awaitPolls(2);
    mainDaemon.awaitPolls(2);
    assertThat(canary.fixed()).isFalse();
    assertThat(main.fixed()).as("the main ring never got it").isFalse();
    assertThat(events(admin, "host-m", EventKind.APPLIED)).isEmpty();
    assertThat(events(admin, "host-c", EventKind.APPLIED)).hasSize(1);
    assertThat(rollout(admin).state()).isEqualTo(RolloutState.PAUSED);
  }

  private static Rollout rollout(FleetClient admin) throws FleetException {
    return admin.rollouts(TestUpdates.Jettison.UPDATE_ID).rollouts().stream()
        .filter(r -> r.group().equals("default"))
        .findFirst()
        .orElseThrow();
  }

  private static List<FleetEvent> events(FleetClient admin, String host, EventKind kind) {
    return ServerView.events(admin).stream()
        .filter(e -> e.host().equals(host) && e.kind() == kind)
        .toList();
  }
}
