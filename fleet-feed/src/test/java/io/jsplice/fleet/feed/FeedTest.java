package io.jsplice.fleet.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedState;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.JvmAdvisory;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.feed.FeedSettings;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.testkit.LocalMavenRepository;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic feed against a Maven repository on disk that gains fixed releases of two libraries
 * of the development corpus: jettison 1.5.0 -> 1.5.1 (a LIVE one-class fix) is built, signed with
 * the feed's key, given a tripwire where the fixed parser added a throw, and published by itself;
 * commons-text 1.9 -> 1.10.0 (whose whole-release update its own analysis says is only partly in
 * force) is filed for review, and published once an admin approves it. Imported OSV advisories name
 * the CVEs, the host's advisories and the VEX statement served next to the update.
 */
class FeedTest {
  private static final String JETTISON = "org.codehaus.jettison";
  private static final String COMMONS = "org.apache.commons";

  @TempDir Path dir;
  private FleetServer server;
  private LocalMavenRepository repository;
  private FleetClient admin;

  @BeforeEach
  void start() throws Exception {
    repository =
        new LocalMavenRepository(dir.resolve("repository"))
            .add(JETTISON, "jettison", "1.5.0")
            .add(COMMONS, "commons-text", "1.9")
            .add(COMMONS, "commons-lang3", "3.12.0");
    Path feedCertificate = dir.resolve("feed.pem");
    SigningKey key =
        KeyGeneration.generate(
            dir.resolve("feed.p12"), "feed-test".toCharArray(), "CN=jsplice feed", feedCertificate);
    server =
        FleetServer.start(
            ServerConfig.embedded(dir.resolve("server"), List.of(feedCertificate)),
            new FeedSettings(
                new MavenFeed(repository.uri(), dir.resolve("feed-cache"), key),
                Duration.ofHours(1)));
    admin =
        FleetClient.of(
            server.url(),
            OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(Credentials.ADMIN_FILE)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JvmInventory jvm() {
    return new JvmInventory(
        "7@1700000000000",
        7,
        "Service",
        "java -jar service.jar",
        "17",
        Instant.ofEpochMilli(1_700_000_000_000L),
        false,
        null,
        List.of(
            new LoadedArtifact(JETTISON, "jettison", "1.5.0", null, "/srv/lib/jettison-1.5.0.jar"),
            new LoadedArtifact(
                COMMONS, "commons-text", "1.9", null, "/srv/lib/commons-text-1.9.jar"),
            new LoadedArtifact(COMMONS, "commons-lang3", "3.12.0", null, "/srv/lib/lang3.jar")),
        List.of(),
        StaleVerdict.UNKNOWN,
        RestartOutlook.UNKNOWN);
  }

  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!Boolean.TRUE.equals(condition.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not " + what);
      }
      Thread.sleep(200);
    }
  }

  private Optional<FeedCandidate> candidate(String artifactId) {
    try {
      return admin.feed().candidates().stream()
          .filter(c -> c.artifactId().equals(artifactId))
          .findFirst();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant lastCheck() {
    try {
      return admin.feed().lastCheck();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNewerReleaseOfALoadedLibrary_becomesAnUpdate_publishedWhenFullyInForce_elseFiledForReview()
      throws Exception {
    FleetClient enroller =
        FleetClient.of(
            server.url(),
            OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(Credentials.ENROL_FILE)));
    FleetClient host =
        enroller.withCredential(enroller.enrol(new Enrolment("web-1", null, null, null)).secret());
    host.report(Reports.of(jvm()));
    try (InputStream osv = FeedTest.class.getResourceAsStream("advisories.json")) {
      assertThat(admin.importAdvisories(osv.readAllBytes()).ignored())
          .containsExactly("JSPLICE-TEST-NPM");
    }

    // Nothing newer yet: the feed builds nothing.
    admin.checkFeed();
    await("the feed checked once", () -> lastCheck() != null);
    Instant first = lastCheck();
    admin.checkFeed();
    await("the feed checked again", () -> lastCheck().isAfter(first));
    assertThat(admin.feed().candidates()).isEmpty();
    assertThat(admin.feed().watching()).isEqualTo(3);

    // The repository gains the fixed releases.
    repository.add(JETTISON, "jettison", "1.5.1").add(COMMONS, "commons-text", "1.10.0");
    admin.checkFeed();
    await(
        "both updates built",
        () ->
            candidate("jettison").filter(c -> c.state() != FeedState.BUILDING).isPresent()
                && candidate("commons-text")
                    .filter(c -> c.state() != FeedState.BUILDING)
                    .isPresent());

    FeedCandidate jettison = candidate("jettison").orElseThrow();
    assertThat(jettison.state()).as(jettison.reason()).isEqualTo(FeedState.PUBLISHED);
    assertThat(jettison.id()).isEqualTo("jettison-1.5.0-to-1.5.1");
    assertThat(jettison.verdict()).isEqualTo("LIVE");
    assertThat(jettison.inForce()).isEqualTo("FULL");
    assertThat(jettison.cves()).containsExactly("CVE-2022-40149");
    assertThat(jettison.tripwires()).isEqualTo(1);
    PublishedUpdate published = admin.update(jettison.id());
    assertThat(published.publishedBy()).isEqualTo("feed");
    assertThat(published.signer()).contains("CN=jsplice feed");
    assertThat(published.cves()).containsExactly("CVE-2022-40149");
    AvailableUpdate listed =
        host.updates(null).value().updates().stream()
            .filter(u -> u.id().equals(jettison.id()))
            .findFirst()
            .orElseThrow();
    assertThat(listed.approved()).isTrue();

    FeedCandidate text = candidate("commons-text").orElseThrow();
    assertThat(text.state()).isEqualTo(FeedState.NEEDS_REVIEW);
    assertThat(text.verdict()).isEqualTo("LIVE_NEEDS_HOOK");
    assertThat(text.reason()).contains("only partly in force");
    assertThat(text.cves()).containsExactly("CVE-2022-42889");
    assertThat(admin.updates().updates()).extracting(PublishedUpdate::id).doesNotContain(text.id());

    // The host's advisories: the JVM is under both, patched by neither (it reported nothing yet).
    assertThat(admin.hostAdvisories("web-1").advisories())
        .extracting(JvmAdvisory::advisory, JvmAdvisory::fixedIn)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("JSPLICE-TEST-2022-40149", "1.5.1"),
            org.assertj.core.groups.Tuple.tuple("JSPLICE-TEST-2022-42889", "1.10.0"));

    // The VEX statement served next to the update.
    Map<?, ?> vex = FleetJson.read(admin.vex(jettison.id()).getBytes(), Map.class);
    assertThat(vex.get("bomFormat")).isEqualTo("CycloneDX");
    assertThat(vex.get("specVersion")).isEqualTo("1.5");
    Map<?, ?> vulnerability = (Map<?, ?>) ((List<?>) vex.get("vulnerabilities")).get(0);
    assertThat(vulnerability.get("id")).isEqualTo("CVE-2022-40149");
    assertThat(((Map<?, ?>) vulnerability.get("analysis")).get("state")).isEqualTo("resolved");
    assertThat(vex.toString()).contains("pkg:maven/org.codehaus.jettison/jettison@1.5.0");

    // An admin approves the one filed for review.
    admin.publishFromFeed(text.id());
    assertThat(candidate("commons-text").orElseThrow().state()).isEqualTo(FeedState.PUBLISHED);
    assertThat(admin.update(text.id()).signer()).contains("CN=jsplice feed");

    // Checked again, the feed builds neither pair twice.
    Instant before = lastCheck();
    admin.checkFeed();
    await("the feed checked again", () -> lastCheck().isAfter(before));
    assertThat(admin.feed().candidates()).hasSize(2);
    assertThat(admin.audit(0, 100).entries())
        .extracting(e -> e.actor() + " " + e.action())
        .contains("feed update.publish", "admin feed.approve");
  }
}
