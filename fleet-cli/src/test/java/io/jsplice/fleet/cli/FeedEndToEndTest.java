package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedState;
import io.jsplice.fleet.api.FeedStatus;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.LocalMavenRepository;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's automatic feed end to end, every part real: a {@code jsplice server} process running
 * the feed on a Maven repository on disk, two {@code jsplice daemon} processes (rings canary and
 * main, promotion once the canary is healthy) and two JVMs on jettison 1.5.0. The repository gains
 * jettison 1.5.1; the feed notices it, builds the update in-process with the create engine (1.5.0
 * against 1.5.1, a tripwire where 1.5.1 added its throw), signs it with the feed's key and
 * publishes it; the canary is patched, passes its health gate, the rollout is promoted, then the
 * main ring is patched; an exploit attempt against the patched canary is rejected by the fixed
 * code, its tripwire fires, the daemon forwards it and the server's overview (what the dashboard
 * shows) lists it with its CVE.
 */
class FeedEndToEndTest {
  private static final String GROUP = "org.codehaus.jettison";
  private static final String CVE = "CVE-2022-40149";

  @TempDir Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();

  private <T extends AutoCloseable> T keep(T resource) {
    running.add(0, resource);
    return resource;
  }

  @AfterEach
  void stopAll() {
    for (AutoCloseable resource : running) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // stop the rest
      }
    }
  }

  @Test
  void
      aFixedReleaseInTheRepository_isBuiltSignedPublished_patchesTheRingsInOrder_andItsTripwireFires()
          throws Exception {
    LocalMavenRepository repository =
        new LocalMavenRepository(dir.resolve("repository")).add(GROUP, "jettison", "1.5.0");
    Path feedKey = dir.resolve("feed/feed.p12");
    Path feedPassword = dir.resolve("feed/feed.password");
    Path trust = dir.resolve("feed/feed.pem");
    KeyGeneration.generate(feedKey, "feed-e2e".toCharArray(), "CN=jsplice feed", trust);
    Files.writeString(feedPassword, "feed-e2e\n");
    Path advisories = dir.resolve("advisories.json");
    Files.writeString(
        advisories,
        """
        [{"schema_version": "1.4.0", "id": "JSPLICE-E2E-2022-40149", "aliases": ["CVE-2022-40149"],
          "summary": "Jettison: stack overflow on crafted JSON (a test fixture in OSV form)",
          "affected": [{"package": {"ecosystem": "Maven", "name": "org.codehaus.jettison:jettison"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5.1"}]}]}]}]
        """);

    ServerProcess server =
        keep(
            ServerProcess.start(
                dir.resolve("server"),
                trust,
                null,
                0,
                List.of(
                    "--feed-key",
                    feedKey.toString(),
                    "--feed-key-password-file",
                    feedPassword.toString(),
                    "--feed-repository",
                    repository.uri().toString(),
                    "--advisories",
                    advisories.toString())));
    FleetClient admin = server.admin();
    admin.setRings("default", List.of("canary", "main"), 0L);

    FleetTarget canary = keep(FleetTarget.start("host-c", Jdk.current(), null));
    FleetTarget main = keep(FleetTarget.start("host-m", Jdk.current(), null));
    assertThat(canary.ask("json")).isEqualTo(FleetTarget.VULNERABLE_JSON);
    DaemonProcess canaryDaemon =
        keep(
            DaemonProcess.start(
                "host-c",
                server.url(),
                server.enrolKey(),
                dir.resolve("daemon-c"),
                trust,
                "--health-watch",
                "0"));
    DaemonProcess mainDaemon =
        keep(
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

    // Nothing newer yet: a check builds nothing.
    Instant before = admin.feed().lastCheck();
    admin.checkFeed();
    Await.until(
        "the feed checked the hosts' releases",
        () -> {
          Instant last = feed(admin).lastCheck();
          return last != null && (before == null || last.isAfter(before));
        },
        server::outputs);
    assertThat(admin.feed().candidates()).isEmpty();

    // The repository gains the fixed release: the feed builds, signs and publishes the update.
    repository.add(GROUP, "jettison", "1.5.1");
    admin.checkFeed();
    Await.until(
        "the feed built the jettison update",
        () -> candidate(admin).filter(c -> c.state() != FeedState.BUILDING).isPresent(),
        server::outputs);
    FeedCandidate built = candidate(admin).orElseThrow();
    assertThat(built.state()).as(built.reason()).isEqualTo(FeedState.PUBLISHED);
    assertThat(built.id()).isEqualTo("jettison-1.5.0-to-1.5.1");
    assertThat(built.cves()).containsExactly(CVE);
    assertThat(built.tripwires()).isEqualTo(1);
    PublishedUpdate published = admin.update(built.id());
    assertThat(published.publishedBy()).isEqualTo("feed");
    assertThat(published.signer()).contains("CN=jsplice feed");

    // Ring order: the canary, its health gate, the promotion, then the main ring.
    Await.until(
        "both JVMs fixed",
        () -> canary.jsonFixed() && main.jsonFixed(),
        () -> canaryDaemon.outputs() + mainDaemon.outputs() + server.outputs());
    FleetEvent canaryApplied = only(admin, "host-c", EventKind.APPLIED, built.id());
    FleetEvent canaryHealthy = only(admin, "host-c", EventKind.HEALTH_GATE_PASSED, built.id());
    Await.until(
        "the main ring's JVM reported its update",
        () -> !events(admin, "host-m", EventKind.APPLIED, built.id()).isEmpty(),
        mainDaemon::outputs);
    FleetEvent mainApplied = only(admin, "host-m", EventKind.APPLIED, built.id());
    assertThat(canaryApplied.pid()).isEqualTo(canary.pid());
    assertThat(mainApplied.pid()).isEqualTo(main.pid());
    assertThat(mainApplied.at())
        .as("the main ring is patched after the canary passed its gate")
        .isAfter(canaryHealthy.at());
    assertThat(canaryHealthy.at()).isAfterOrEqualTo(canaryApplied.at());
    assertThat(admin.audit(0, 1000).entries())
        .extracting(e -> e.actor() + " " + e.action() + " " + e.target())
        .contains(
            "feed update.publish " + built.id(), "auto-promotion rollout.promote " + built.id());

    // An exploit attempt against the patched canary: the fixed parser rejects it, the tripwire
    // fires, the daemon forwards it, the overview lists it.
    assertThat(canary.ask("json")).isEqualTo(FleetTarget.FIXED_JSON);
    Await.until(
        "the tripwire event reached the server",
        () -> !events(admin, "host-c", EventKind.TRIPWIRE, built.id()).isEmpty(),
        () -> canaryDaemon.outputs() + canary.outputs());
    FleetEvent tripwire = events(admin, "host-c", EventKind.TRIPWIRE, built.id()).get(0);
    assertThat(tripwire.cause()).isEqualTo(CVE);
    assertThat(tripwire.pid()).isEqualTo(canary.pid());
    assertThat(tripwire.message())
        .contains("exploit attempt blocked by " + built.id())
        .contains(" at org.codehaus.jettison.json.")
        .contains("The JSON text is malformed");
    assertThat(admin.overview().recentTripwires())
        .extracting(FleetEvent::host, FleetEvent::updateId, FleetEvent::cause)
        .contains(org.assertj.core.groups.Tuple.tuple("host-c", built.id(), CVE));
    assertThat(events(admin, "host-m", EventKind.TRIPWIRE, built.id()))
        .as("no attempt was made on the main ring's JVM")
        .isEmpty();
  }

  private static FeedStatus feed(FleetClient admin) {
    try {
      return admin.feed();
    } catch (FleetException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<FeedCandidate> candidate(FleetClient admin) {
    return feed(admin).candidates().stream()
        .filter(c -> c.artifactId().equals("jettison"))
        .findFirst();
  }

  private static FleetEvent only(FleetClient admin, String host, EventKind kind, String update) {
    List<FleetEvent> found = events(admin, host, kind, update);
    assertThat(found).as(host + " " + kind).hasSize(1);
    return found.get(0);
  }

  private static List<FleetEvent> events(
      FleetClient admin, String host, EventKind kind, String update) {
    return ServerView.events(admin).stream()
        .filter(e -> e.host().equals(host) && e.kind() == kind && update.equals(e.updateId()))
        .toList();
  }
}
