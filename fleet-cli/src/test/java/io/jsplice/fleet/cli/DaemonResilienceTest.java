package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.daemon.DaemonStatus;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with real JVMs when things go wrong: a JVM that hangs (stopped with SIGSTOP) while its
 * update is applied, and a server that dies (kill -9) and comes back.
 */
class DaemonResilienceTest {
  @TempDir Path dir;
  @RegisterExtension final Started started = new Started();

  @Test
  void aHungJvm_delaysOnlyItsOwnUpdate_andIsPatchedOnceItRunsAgain() throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    ServerProcess server = started.keep(ServerProcess.start(dir.resolve("server"), trust, null));
    FleetClient admin = server.admin();
    FleetTarget healthy = started.keep(FleetTarget.start("host-h", Jdk.current(), null));
    FleetTarget hung = started.keep(FleetTarget.start("host-h", Jdk.current(), null));
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-h",
                server.url(),
                server.enrolKey(),
                dir.resolve("daemon"),
                trust,
                "--apply-timeout",
                "5"));
    Await.until(
        "the host reported both JVMs",
        () -> ServerView.jvms(admin, "host-h") == 2,
        daemon::outputs);

    signal("STOP", hung.pid());
    try {
      FleetFailuresSafe.publish(admin, TestUpdates.get().signed());
      Await.until("the healthy JVM runs the fix", healthy::textFixed, daemon::outputs);
      Await.until(
          "the daemon reported that the hung JVM did not take the update",
          () -> events(admin, EventKind.APPLY_FAILED).stream().anyMatch(e -> e.pid() == hung.pid()),
          daemon::outputs);
      FleetEvent failure =
          events(admin, EventKind.APPLY_FAILED).stream()
              .filter(e -> e.pid() == hung.pid())
              .findFirst()
              .orElseThrow();
      assertThat(failure.cause()).isEqualTo("AGENT_UNAVAILABLE");
      daemon.awaitPolls(2); // the daemon goes on polling
    } finally {
      signal("CONT", hung.pid());
    }
    Await.until(
        "the JVM runs the fix once it runs again",
        hung::textFixed,
        () -> hung.outputs() + daemon.outputs());
  }

  @Test
  void aServerOutage_isRiddenOut_withTheListItHolds_andItsEventsReportedLater() throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    Path data = dir.resolve("server");
    ServerProcess server = started.keep(ServerProcess.start(data, trust, null));
    FleetTarget first = started.keep(FleetTarget.start("host-o", Jdk.current(), null));
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-o", server.url(), server.enrolKey(), dir.resolve("daemon"), trust));
    FleetFailuresSafe.publish(server.admin(), TestUpdates.get().signed());
    Await.until("the JVM runs the fix", first::textFixed, daemon::outputs);

    int port = server.url().getPort();
    server.kill();
    started.forget(server);
    Await.until(
        "the daemon noticed the outage",
        () -> daemon.status() != null && !daemon.status().serverReachable(),
        daemon::outputs);
    first.close();
    started.forget(first);
    FleetTarget restarted = started.keep(FleetTarget.start("host-o", Jdk.current(), null));
    Await.until(
        "the JVM restarted during the outage runs the fix again",
        restarted::textFixed,
        () -> restarted.outputs() + daemon.outputs());
    DaemonStatus during = daemon.status();
    assertThat(during.serverReachable()).isFalse();
    assertThat(during.pendingEvents()).isPositive();

    ServerProcess back = started.keep(ServerProcess.start(data, trust, null, port));
    daemon.pollNow();
    Await.until(
        "the events of the outage reached the server",
        () ->
            events(back.admin(), EventKind.APPLIED).stream()
                    .anyMatch(e -> e.pid() == restarted.pid())
                && daemon.status().pendingEvents() == 0,
        () -> daemon.outputs() + back.outputs());
    assertThat(events(back.admin(), EventKind.APPLIED))
        .as("each applied once")
        .extracting(FleetEvent::pid)
        .containsExactlyInAnyOrder(first.pid(), restarted.pid());
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static List<FleetEvent> events(FleetClient admin, EventKind kind) {
    return ServerView.events(admin).stream().filter(e -> e.kind() == kind).toList();
  }

  /** Publishing, with the checked exception turned into a test failure. */
  static final class FleetFailuresSafe {
    static void publish(FleetClient admin, Path update) {
      try {
        admin.publish(java.nio.file.Files.readAllBytes(update));
      } catch (FleetException | IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
