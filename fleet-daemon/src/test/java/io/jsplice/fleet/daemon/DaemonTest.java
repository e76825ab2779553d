package io.jsplice.fleet.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.daemon.agents.JvmSelector;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.TrustedKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's decisions, one poll at a time, against a real server with real signed updates; the
 * JVMs are {@link FakeAgents} (the end-to-end tests use real ones).
 */
class DaemonTest {
  private static final String TEXT = TestUpdates.UPDATE_ID;

  @TempDir Path dir;
  private ServerForTests server;
  private FakeAgents agents;
  private Daemon daemon;

  @BeforeEach
  void start() throws Exception {
    server = ServerForTests.start(dir.resolve("server"), 0);
    agents = new FakeAgents(TrustedKeys.load(List.of(TestUpdates.get().trustedCertificate())));
    daemon = Daemon.open(config(server.url(), TestUpdates.get().trustedCertificate()), agents);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DaemonConfig config(URI url, Path trust) {
    return new DaemonConfig(
        url,
        dir.resolve("server").resolve("enrol.key"),
        "host-1",
        null,
        dir.resolve("state"),
        List.of(trust),
        Duration.ofSeconds(1),
        null,
        JvmSelector.all());
  }

  private static LoadedArtifact commonsText(String version) {
    return new LoadedArtifact(
        TestUpdates.GROUP_ID, TestUpdates.ARTIFACT_ID, version, null, "/srv/lib/commons-text.jar");
  }

  private void publish() throws Exception {
    server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
  }

  private List<FleetEvent> events(EventKind kind) throws Exception {
    return server.admin().events(0, 1000).events().stream().filter(e -> e.kind() == kind).toList();
  }

  @Test
  void enrolsOnce_reportsItsJvms_andAppliesAPublishedUpdateToTheJvmsThatLoadedItsRelease()
      throws Exception {
    FakeAgents.Jvm vulnerable = agents.start(11, 1000, commonsText("1.9"));
    FakeAgents.Jvm upgraded = agents.start(12, 1000, commonsText("1.10.0"));
    DaemonStatus first = daemon.cycle();
    assertThat(first.hostState()).isEqualTo(HostState.ACTIVE);
    assertThat(server.admin().host("host-1").jvms()).hasSize(2);

    publish();
    DaemonStatus second = daemon.cycle();
    assertThat(second.applied()).containsExactly(TEXT + " to 11");
    assertThat(vulnerable.runs(TEXT)).isTrue();
    assertThat(upgraded.runs(TEXT)).isFalse();
    assertThat(events(EventKind.APPLIED))
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(11));
    assertThat(
            server.admin().exposure(TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID).patched())
        .isEqualTo(1);

    daemon.cycle();
    assertThat(agents.applies).as("never twice to one JVM run").containsExactly(TEXT + " to 11");
    assertThat(Files.readString(dir.resolve("state/identity.json"))).contains("host-1");
  }

  @Test
  void aRestartedJvm_isPatchedAgain_butNotOneWhoseAgentReappliedIt() throws Exception {
    publish();
    FakeAgents.Jvm first = agents.start(21, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    assertThat(first.runs(TEXT)).isTrue();

    agents.exit(first);
    FakeAgents.Jvm restarted = agents.start(21, 2000, commonsText("1.9")); // same pid, new run
    FakeAgents.Jvm withAgent = agents.start(22, 2000, commonsText("1.9")).reapplied(TEXT);
    daemon.cycle();
    assertThat(restarted.runs(TEXT)).isTrue();
    assertThat(agents.applies).containsExactly(TEXT + " to 21", TEXT + " to 21");
    assertThat(events(EventKind.REAPPLIED_BY_AGENT))
        .singleElement()
        .satisfies(e -> assertThat(e.pid()).isEqualTo(22));
    assertThat(withAgent.runs(TEXT)).isTrue();
  }

  @Test
  void tripwireHitsOfAPatchedJvm_reachTheServerOnce_evenAfterTheDaemonRestarts() throws Exception {
    publish();
    FakeAgents.Jvm jvm = agents.start(41, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isTrue();
    assertThat(events(EventKind.TRIPWIRE)).isEmpty();

    jvm.tripwire(TEXT, "CVE-2022-42889", "IllegalArgumentException: lookup ${script:...} denied");
    jvm.tripwire(TEXT, "CVE-2022-42889", "IllegalArgumentException: lookup ${dns:...} denied");
    daemon.cycle();
    assertThat(events(EventKind.TRIPWIRE))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.pid()).isEqualTo(41);
              assertThat(e.updateId()).isEqualTo(TEXT);
              assertThat(e.cause()).isEqualTo("CVE-2022-42889");
              assertThat(e.message())
                  .startsWith("exploit attempt blocked by " + TEXT + " (CVE-2022-42889) in ")
                  .contains("at org.apache.commons.text.StringSubstitutor.resolveVariable")
                  .contains("on thread http-worker-1");
            });
    assertThat(events(EventKind.TRIPWIRE).get(0).message()).endsWith("${script:...} denied");

    daemon.cycle();
    Daemon restarted =
        Daemon.open(config(server.url(), TestUpdates.get().trustedCertificate()), agents);
    restarted.cycle();
    assertThat(events(EventKind.TRIPWIRE)).as("each hit once").hasSize(2);

    jvm.tripwire(TEXT, "CVE-2022-42889", "IllegalArgumentException: lookup ${url:...} denied");
    jvm.suppressed = 7;
    restarted.cycle();
    assertThat(events(EventKind.TRIPWIRE))
        .extracting(FleetEvent::message)
        .hasSize(4)
        .anyMatch(m -> m.endsWith("${url:...} denied"))
        .anyMatch(m -> m.startsWith("7 more exploit attempt(s) blocked in "));
    assertThat(server.admin().overview().tripwireEvents()).isEqualTo(4);
  }

  @Test
  void anOperatorsUndo_isLeftAlone() throws Exception {
    publish();
    FakeAgents.Jvm jvm = agents.start(31, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    jvm.undo(TEXT);
    daemon.cycle();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isFalse();
    assertThat(agents.applies).hasSize(1);
    assertThat(events(EventKind.UNDONE_BY_OPERATOR)).hasSize(1);
  }

  @Test
  void aBusyJvm_isTriedAgainAtLaterPolls_untilItTakesTheUpdate() throws Exception {
    publish();
    FakeAgents.Jvm jvm =
        agents
            .start(41, 1000, commonsText("1.9"))
            .failing(FailureCause.CODE_BUSY, FailureCause.CODE_BUSY);
    daemon.cycle();
    DaemonStatus busy = daemon.cycle();
    assertThat(busy.failed()).containsExactly(TEXT + " to 41: CODE_BUSY");
    daemon.cycle();
    DaemonStatus taken = daemon.cycle();
    assertThat(jvm.runs(TEXT)).isTrue();
    assertThat(taken.failed()).isEmpty();
    assertThat(agents.applies).hasSize(3);
    assertThat(events(EventKind.APPLY_FAILED)).as("reported once, not at each try").hasSize(1);
  }

  @Test
  void aJvmThatStaysUnreachable_isGivenUpAfterSomeTries() throws Exception {
    publish();
    FakeAgents.Jvm jvm = agents.start(42, 1000, commonsText("1.9"));
    for (int i = 0; i < Daemon.MAX_ATTEMPTS + 2; i++) {
      jvm.failing(FailureCause.AGENT_UNAVAILABLE);
    }
    for (int i = 0; i < Daemon.MAX_ATTEMPTS + 3; i++) {
      daemon.cycle();
    }
    assertThat(agents.applies).hasSize(Daemon.MAX_ATTEMPTS);
    assertThat(events(EventKind.APPLY_FAILED)).hasSize(2);
  }

  @Test
  void aJvmThatRefusesForGood_isNotTriedAgain_andTheOthersAreStillPatched() throws Exception {
    publish();
    agents.start(51, 1000, commonsText("1.9")).failing(FailureCause.RUN_PRE_MISMATCH);
    FakeAgents.Jvm other = agents.start(52, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    daemon.cycle();
    assertThat(other.runs(TEXT)).isTrue();
    assertThat(agents.applies).containsExactly(TEXT + " to 51", TEXT + " to 52");
    assertThat(events(EventKind.APPLY_FAILED))
        .singleElement()
        .satisfies(e -> assertThat(e.cause()).isEqualTo("RUN_PRE_MISMATCH"));
  }

  /**
   * An agent that refuses because the fix would be only partly in force there (exit 38: objects
   * built before the update keep the old behaviour) may have found temporaries a request held at
   * that moment: the daemon tries again at the next polls (the apply changed nothing), never
   * accepts a partial fix on the operator's behalf, and reports the refusal once.
   */
  @Test
  void aJvmWhereTheFixWasOnlyPartlyInForceOnce_isPatchedAtTheNextPoll() throws Exception {
    publish();
    FakeAgents.Jvm partly =
        agents.start(53, 1000, commonsText("1.9")).failing(FailureCause.PARTLY_IN_FORCE);
    daemon.cycle();
    assertThat(partly.runs(TEXT)).isFalse();
    daemon.cycle();
    daemon.cycle();
    assertThat(partly.runs(TEXT)).isTrue();
    assertThat(agents.applies).containsExactly(TEXT + " to 53", TEXT + " to 53");
    assertThat(events(EventKind.APPLY_FAILED))
        .singleElement()
        .satisfies(e -> assertThat(e.cause()).isEqualTo("PARTLY_IN_FORCE"));
  }

  /** One that holds such objects for good is given up after some tries and stays as it was. */
  @Test
  void aJvmWhereTheFixWouldStayOnlyPartlyInForce_isGivenUpAfterSomeTries() throws Exception {
    publish();
    FakeAgents.Jvm partly = agents.start(54, 1000, commonsText("1.9"));
    for (int i = 0; i < Daemon.MAX_ATTEMPTS + 2; i++) {
      partly.failing(FailureCause.PARTLY_IN_FORCE);
    }
    for (int i = 0; i < Daemon.MAX_ATTEMPTS + 3; i++) {
      daemon.cycle();
    }
    assertThat(partly.runs(TEXT)).isFalse();
    assertThat(agents.applies).hasSize(Daemon.MAX_ATTEMPTS);
    assertThat(events(EventKind.APPLY_FAILED))
        .as("reported at the first try and when given up")
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.cause()).isEqualTo("PARTLY_IN_FORCE"));
  }

  @Test
  void aJvmThatExitsDuringTheApply_costsNothingButItsApply() throws Exception {
    publish();
    agents.start(61, 1000, commonsText("1.9")).failing(FailureCause.TARGET_NOT_FOUND);
    FakeAgents.Jvm other = agents.start(62, 1000, commonsText("1.9"));
    daemon.cycle();
    DaemonStatus status = daemon.cycle();
    assertThat(other.runs(TEXT)).isTrue();
    assertThat(status.failed()).isEmpty();
    assertThat(events(EventKind.APPLY_FAILED)).isEmpty();
  }

  @Test
  void aDeactivatedHost_appliesNothingAndSaysWhy_untilActivatedAgain() throws Exception {
    FakeAgents.Jvm jvm = agents.start(71, 1000, commonsText("1.9"));
    daemon.cycle();
    server.admin().deactivate("host-1", "frozen for audit");
    publish();
    DaemonStatus deactivated = daemon.cycle();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isFalse();
    assertThat(agents.applies).isEmpty();
    assertThat(deactivated.hostState()).isEqualTo(HostState.DEACTIVATED);
    assertThat(deactivated.stateMessage())
        .isEqualTo(
            "host host-1 is deactivated (frozen for audit): it gets no updates until an admin"
                + " activates it again");
    assertThat(events(EventKind.SKIPPED_DEACTIVATED)).as("said once").hasSize(1);

    server.admin().activate("host-1");
    DaemonStatus active = daemon.cycle();
    assertThat(active.hostState()).isEqualTo(HostState.ACTIVE);
    assertThat(jvm.runs(TEXT)).isTrue();
  }

  @Test
  void underApproval_nothingIsAppliedUntilTheGroupApproves() throws Exception {
    FleetClient admin = server.admin();
    admin.putGroup("default", new GroupSettings(ApplyPolicy.APPROVAL, null));
    FakeAgents.Jvm jvm = agents.start(81, 1000, commonsText("1.9"));
    daemon.cycle();
    publish();
    daemon.cycle();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isFalse();
    admin.approve(TEXT, "default");
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isTrue();
  }

  @Test
  void whileTheServerIsDown_itBacksOff_appliesWhatItHolds_andReportsOnceBack() throws Exception {
    publish();
    agents.start(91, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    int port = server.port();
    server.close();

    FakeAgents.Jvm restarted = agents.start(92, 5000, commonsText("1.9"));
    DaemonStatus down = daemon.cycle();
    assertThat(down.serverReachable()).isFalse();
    assertThat(down.nextServerAttempt()).isNotNull();
    assertThat(restarted.runs(TEXT)).as("applied from the list and package it holds").isTrue();
    // APPLIED, and HEALTH_GATE_PASSED (the default gate: alive at the check after the apply).
    assertThat(down.pendingEvents()).isEqualTo(2);
    DaemonStatus backingOff = daemon.cycle();
    assertThat(backingOff.serverError()).contains("cannot reach the fleet server");

    server = ServerForTests.start(dir.resolve("server"), port);
    Files.writeString(daemon.state().pollNow(), ""); // what `touch STATE/poll-now` does
    daemon = Daemon.open(config(server.url(), TestUpdates.get().trustedCertificate()), agents);
    DaemonStatus back = daemon.cycle();
    assertThat(back.serverReachable()).isTrue();
    assertThat(back.pendingEvents()).isZero();
    assertThat(events(EventKind.APPLIED))
        .extracting(FleetEvent::pid)
        .containsExactlyInAnyOrder(91L, 92L);
  }

  @Test
  void aPackageSignedByAKeyTheDaemonDoesNotTrust_isNeverApplied() throws Exception {
    daemon = Daemon.open(config(server.url(), TestUpdates.get().otherCertificate()), agents);
    publish();
    FakeAgents.Jvm jvm = agents.start(95, 1000, commonsText("1.9"));
    daemon.cycle();
    daemon.cycle();
    assertThat(jvm.runs(TEXT)).isFalse();
    assertThat(agents.applies).isEmpty();
    assertThat(events(EventKind.APPLY_FAILED))
        .singleElement()
        .satisfies(e -> assertThat(e.cause()).isEqualTo("UNTRUSTED_SIGNER"));
  }

  @Test
  void aStateDirectoryOthersCanEnter_isRefused() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    DaemonConfig config =
        new DaemonConfig(
            server.url(),
            null,
            "h",
            null,
            open,
            List.of(TestUpdates.get().trustedCertificate()),
            Duration.ofSeconds(1),
            null,
            null);
    assertThatThrownBy(() -> Daemon.open(config, agents))
        .isInstanceOf(DaemonException.class)
        .hasMessage(
            "refusing the state directory: "
                + open
                + " is mode rwxr-xr-x; other users must not"
                + " enter it: chmod 700 "
                + open);
  }

  @Test
  void aTrustedCertificateOthersCanWrite_isRefused() throws Exception {
    Path loose = dir.resolve("loose.pem");
    Files.copy(TestUpdates.get().trustedCertificate(), loose);
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw-rw-"));
    DaemonConfig config = config(server.url(), loose);
    assertThatThrownBy(() -> Daemon.open(config, agents))
        .isInstanceOf(DaemonException.class)
        .hasMessage(
            "cannot read --trust: "
                + loose
                + " is writable by other users; chmod go-w "
                + loose
                + " before trusting it");
  }
}
