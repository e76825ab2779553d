package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.ExposureReport;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.daemon.DaemonStatus;
import io.jsplice.fleet.testkit.TestDatabase;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.testkit.Jdk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fleet end to end, with every part real: {@code jsplice server} processes (embedded H2; or two
 * servers sharing one PostgreSQL database), two {@code jsplice daemon} processes acting as two
 * hosts (separate state, {@code --select}), and target JVMs on JDK 17 and 25 running the vulnerable
 * commons-text 1.9 and jettison 1.5.0.
 *
 * <p>Publishing an update patches both hosts' JVMs with no other step, observed in the JVMs'
 * answers. With one host deactivated, the next update reaches the other host's JVMs and never the
 * deactivated one's, whose daemon says why. A JVM restarted on the vulnerable jars is patched
 * again; a JVM whose agent reapplies the updates by itself (it runs with a service record) is not
 * patched twice. Reactivated, the host catches up.
 */
class FleetEndToEndTest {
  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();

  private <T extends AutoCloseable> T keep(T resource) {
    running.add(0, resource);
    return resource;
  }

  @org.junit.jupiter.api.AfterEach
  void stopAll() {
    for (AutoCloseable resource : running) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // stop the rest
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void publishedUpdatesPatchEveryActiveHostAndNeverADeactivatedOne(TestDatabase backend)
      throws Exception {
    TestUpdates updates = TestUpdates.get();
    TestUpdates.Jettison jettison = TestUpdates.jettison();
    Path trust = updates.trustedCertificate();
    TestDatabase.Login database = backend.create("end_to_end");
    ServerProcess first = keep(ServerProcess.start(dir.resolve("server-1"), trust, database));
    // On PostgreSQL, host b and the admin use a second server on the same database.
    ServerProcess second =
        database == null
            ? first
            : keep(ServerProcess.start(dir.resolve("server-2"), trust, database));
    Path adminToken = first.adminToken();
    FleetClient admin = second.admin(adminToken);

    FleetTarget a1 = keep(FleetTarget.start("host-a", Jdk.current(), null));
    Path serviceState = dir.resolve("service-a2");
    FleetTarget a2 =
        keep(
            FleetTarget.start(
                "host-a", Jdk.jdk25(), "service=orders,state=" + serviceState + ",trust=" + trust));
    FleetTarget b1 = keep(FleetTarget.start("host-b", Jdk.jdk25(), null));
    assertThat(a1.ask("text"))
        .as("vulnerable before any update")
        .isNotEqualTo(FleetTarget.FIXED_TEXT);
    assertThat(b1.ask("json")).isEqualTo(FleetTarget.VULNERABLE_JSON);

    DaemonProcess hostA =
        keep(
            DaemonProcess.start(
                "host-a", first.url(), first.enrolKey(), dir.resolve("daemon-a"), trust));
    DaemonProcess hostB =
        keep(
            DaemonProcess.start(
                "host-b", second.url(), first.enrolKey(), dir.resolve("daemon-b"), trust));
    Await.until(
        "both hosts reported their JVMs",
        () -> jvmsOf(admin, "host-a") == 2 && jvmsOf(admin, "host-b") == 1,
        () -> hostA.outputs() + hostB.outputs());

    // 1. Publishing the Text4Shell fix patches every JVM of both hosts.
    assertThat(
            cli(
                "publish",
                updates.signed().toString(),
                "--server",
                first.url().toString(),
                "--token-file",
                adminToken.toString()))
        .startsWith("published CVE-2022-42889");
    for (FleetTarget jvm : List.of(a1, a2, b1)) {
      Await.until(
          "JVM " + jvm.pid() + " of " + jvm.host() + " runs the Text4Shell fix",
          jvm::textFixed,
          () -> jvm.outputs() + hostA.outputs() + hostB.outputs());
    }
    assertThat(a1.ask("json")).as("only what was published").isEqualTo(FleetTarget.VULNERABLE_JSON);
    Await.until(
        "the server sees every JVM patched",
        () ->
            exposure(admin, TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID).vulnerable() == 0
                && exposure(admin, TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID).patched()
                    == 3,
        () ->
            String.valueOf(exposure(admin, TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID)));

    // 2. Host b is deactivated; the next update reaches host a's JVMs and never b's.
    assertThat(
            cli(
                "host",
                "deactivate",
                "host-b",
                "--reason",
                "maintenance window",
                "--server",
                second.url().toString(),
                "--token-file",
                adminToken.toString()))
        .startsWith("deactivated host-b");
    Await.until(
        "host b's daemon knows it is deactivated",
        () -> hostB.status() != null && hostB.status().hostState() == HostState.DEACTIVATED,
        hostB::outputs);
    cli(
        "publish",
        jettison.signed().toString(),
        "--server",
        first.url().toString(),
        "--token-file",
        adminToken.toString());
    long publishedAtCycle = hostB.cycle();
    for (FleetTarget jvm : List.of(a1, a2)) {
      Await.until(
          "JVM " + jvm.pid() + " of host a runs the jettison fix",
          jvm::jsonFixed,
          () -> jvm.outputs() + hostA.outputs());
    }
    Await.until(
        "host b's daemon polled twice since the publish",
        () -> hostB.cycle() >= publishedAtCycle + 2,
        hostB::outputs);
    assertThat(b1.ask("json"))
        .as("deactivated host b got nothing")
        .isEqualTo(FleetTarget.VULNERABLE_JSON);
    DaemonStatus statusB = hostB.status();
    assertThat(statusB.hostState()).isEqualTo(HostState.DEACTIVATED);
    assertThat(statusB.applied()).isEmpty();
    assertThat(statusB.updates()).isEmpty();
    assertThat(hostB.log())
        .contains(
            "host host-b is deactivated (maintenance window): it gets no updates until an admin"
                + " activates it again: applying nothing");
    assertThat(events(admin, "host-b", EventKind.APPLIED))
        .extracting(FleetEvent::updateId)
        .containsExactly(TestUpdates.UPDATE_ID);

    // 3. A JVM restarted on the vulnerable jars is patched again, with both updates.
    a1.close();
    running.remove(a1);
    FleetTarget a1Again = keep(FleetTarget.start("host-a", Jdk.current(), null));
    assertThat(a1Again.pid()).isNotEqualTo(a1.pid());
    Await.until(
        "the restarted JVM " + a1Again.pid() + " runs both fixes again",
        () -> a1Again.textFixed() && a1Again.jsonFixed(),
        () -> a1Again.outputs() + hostA.outputs());

    // 4. A JVM whose agent reapplies from its service record is not patched twice.
    a2.close();
    running.remove(a2);
    FleetTarget a2Again =
        keep(
            FleetTarget.start(
                "host-a", Jdk.jdk25(), "service=orders,state=" + serviceState + ",trust=" + trust));
    assertThat(a2Again.textFixed()).as("reapplied by its agent as it started").isTrue();
    assertThat(a2Again.jsonFixed()).isTrue();
    Await.until(
        "host a's daemon saw the agent's reapplication",
        () ->
            events(admin, "host-a", EventKind.REAPPLIED_BY_AGENT).stream()
                    .filter(e -> e.pid() == a2Again.pid())
                    .count()
                == 2,
        hostA::outputs);
    hostA.awaitPolls(2);
    assertThat(events(admin, "host-a", EventKind.APPLIED))
        .as("the daemon applied nothing to the JVM whose agent reapplied by itself")
        .noneMatch(e -> e.pid() == a2Again.pid());

    // 5. Activated again, host b catches up.
    cli(
        "host",
        "activate",
        "host-b",
        "--server",
        second.url().toString(),
        "--token-file",
        adminToken.toString());
    Await.until(
        "host b's JVM runs the jettison fix once activated",
        b1::jsonFixed,
        () -> b1.outputs() + hostB.outputs());

    assertThat(admin.audit(0, 100).entries())
        .extracting(e -> e.action() + " " + e.target())
        .containsSubsequence(
            "host.enrol host-a",
            "update.publish CVE-2022-42889",
            "host.deactivate host-b",
            "update.publish CVE-2022-40149",
            "host.activate host-b");
  }

  private static int jvmsOf(FleetClient admin, String host) {
    try {
      return admin.host(host).jvms().size();
    } catch (io.jsplice.fleet.api.client.FleetException e) {
      return -1;
    }
  }

  private static ExposureReport exposure(FleetClient admin, String artifact) {
    try {
      return admin.exposure(artifact);
    } catch (io.jsplice.fleet.api.client.FleetException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<FleetEvent> events(FleetClient admin, String host, EventKind kind) {
    try {
      return admin.events(0, 1000).events().stream()
          .filter(e -> e.host().equals(host) && e.kind() == kind)
          .toList();
    } catch (io.jsplice.fleet.api.client.FleetException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a jsplice verb in this JVM; fails unless it exits 0; returns its stdout. */
  static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(exit).as("jsplice %s\n%s%s", String.join(" ", args), out, err).isZero();
    return out.toString();
  }
}
