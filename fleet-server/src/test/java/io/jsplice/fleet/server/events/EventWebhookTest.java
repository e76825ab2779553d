package io.jsplice.fleet.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.ForwardedEvent;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.fleet.testkit.WebhookReceiver;
import io.jsplice.fleet.testkit.WebhookReceiver.Delivery;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation events reach a webhook ({@code --events-webhook}): the chosen kinds only, each with
 * its update's CVEs, its host's group and its JVM's main class, signed with the secret; at least
 * once (a webhook that answered 503 gets the same event again) and each once once it answered 2xx.
 */
class EventWebhookTest {
  private static final String SECRET = "webhook-secret-of-the-test";

  @TempDir Path dir;
  @AutoClose private final WebhookReceiver receiver = WebhookReceiver.start();
  @AutoClose private FleetServer server;

  private static String hmac(byte[] body) {
    return WebhookReceiver.hmacSha256(SECRET, body);
  }

  @Test
  void chosenKindsArePostedSigned_withCvesGroupAndJvm_againAfterARefusal_andOnceOnceTaken()
      throws Exception {
    receiver.refuse(Integer.MAX_VALUE); // until the test says otherwise
    server =
        FleetServer.start(
            ServerConfig.embedded(
                dir.resolve("server"), List.of(TestUpdates.get().trustedCertificate())),
            null,
            List.of(
                new EventWebhook(
                    receiver.url(),
                    EnumSet.of(EventKind.APPLIED, EventKind.APPLY_FAILED),
                    SECRET)));
    FleetClient anonymous = FleetClient.of(server.url(), null);
    FleetClient admin = anonymous.withCredential(secret(Credentials.ADMIN_FILE));
    FleetClient enroller = anonymous.withCredential(secret(Credentials.ENROL_FILE));
    FleetClient host =
        enroller.withCredential(
            enroller.enrol(new io.jsplice.fleet.api.Enrolment("web-1", null, null, null)).secret());
    admin.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
    admin.putGroup("canary", new GroupSettings(ApplyPolicy.AUTOMATIC, false));
    admin.moveToGroup("web-1", "canary");
    String id = TestUpdates.UPDATE_ID;

    // A tripwire is not a chosen kind: only the failure comes, and the webhook refuses it.
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(1, "1.9")));
    host.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(1, "1.9")));
    Delivery refused = receiver.next();
    assertThat(refused.answered()).isEqualTo(503);
    assertThat(refused.signature()).isEqualTo(hmac(refused.body()));
    ForwardedEvent failure = refused.events().get(0);
    assertThat(refused.events()).singleElement().isEqualTo(failure);
    assertThat(failure.kind()).isEqualTo(EventKind.APPLY_FAILED);
    assertThat(failure.host()).isEqualTo("web-1");
    assertThat(failure.group()).isEqualTo("canary");
    assertThat(failure.jvmKey()).isEqualTo("1@1700000000000");
    assertThat(failure.pid()).isEqualTo(1);
    assertThat(failure.mainClass()).isEqualTo("Text4Shell");
    assertThat(failure.updateId()).isEqualTo(id);
    assertThat(failure.cves()).containsExactly("CVE-2022-42889");
    assertThat(failure.cause()).isEqualTo("RUN_PRE_MISMATCH");
    assertThat(failure.message()).isEqualTo("APPLY_FAILED " + id);

    awaitMetric("jsplice_fleet_event_forwarding_failing{target=\"events-webhook\"} 1.0");

    // The webhook takes requests again: the failure comes again (after this report, or the
    // retry), with the success after it.
    receiver.refuse(0);
    host.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(1, "1.9", id)));
    List<ForwardedEvent> taken = new ArrayList<>();
    while (taken.stream().noneMatch(e -> e.kind() == EventKind.APPLIED)) {
      Delivery delivery = receiver.next();
      if (delivery.answered() == 204) { // a retry may have come before the refusals ended
        assertThat(delivery.signature()).isEqualTo(hmac(delivery.body()));
        taken.addAll(delivery.events());
      }
    }
    assertThat(taken)
        .extracting(ForwardedEvent::kind, ForwardedEvent::seq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EventKind.APPLY_FAILED, failure.seq()),
            org.assertj.core.groups.Tuple.tuple(
                EventKind.APPLIED, taken.get(taken.size() - 1).seq()));
    ForwardedEvent applied = taken.get(taken.size() - 1);
    assertThat(applied.cves()).containsExactly("CVE-2022-42889");
    assertThat(applied.group()).isEqualTo("canary");
    assertThat(applied.cause()).isNull();

    // The mark moves once the webhook answered: wait for it (the receiver saw the body first).
    Path mark = server.config().dataDir().resolve(EventWebhook.MARK_FILE);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.readString(mark).strip().equals(Long.toString(applied.seq()))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(mark).strip()).isEqualTo(Long.toString(applied.seq()));
    awaitMetric("jsplice_fleet_event_forwarding_failing{target=\"events-webhook\"} 0.0");
    // A later report with a tripwire only brings nothing; a later failure comes alone.
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(1, "1.9", id)));
    host.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(1, "1.9", id)));
    Delivery later = receiver.next();
    assertThat(later.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(EventKind.APPLY_FAILED);
              assertThat(e.seq()).isGreaterThan(applied.seq() + 1);
            });
  }

  @Test
  void withoutASecret_nothingIsSigned_andEveryKindIsPosted() throws Exception {
    server =
        FleetServer.start(
            ServerConfig.embedded(
                dir.resolve("server"), List.of(TestUpdates.get().trustedCertificate())),
            null,
            List.of(new EventWebhook(receiver.url(), Set.of(), null)));
    FleetClient enroller = FleetClient.of(server.url(), secret(Credentials.ENROL_FILE));
    FleetClient host =
        enroller.withCredential(
            enroller.enrol(new io.jsplice.fleet.api.Enrolment("web-2", null, null, null)).secret());
    host.report(Reports.withEvent(EventKind.TRIPWIRE, "unpublished", Reports.jvm(7, "1.9")));
    Delivery delivery = receiver.next();
    assertThat(delivery.signature()).isNull();
    assertThat(delivery.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(EventKind.TRIPWIRE);
              assertThat(e.group()).isEqualTo("default");
              assertThat(e.cves()).as("the update is not published").isEmpty();
            });
  }

  /**
   * Reports commit in any order, after their events took their sequence numbers: an event whose
   * transaction commits after a later event was forwarded still comes (late), and once.
   */
  @Test
  void anEventCommittedAfterALaterOneWasForwarded_stillComes() throws Exception {
    Path data = dir.resolve("server");
    server =
        FleetServer.start(
            ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate())),
            null,
            List.of(new EventWebhook(receiver.url(), Set.of(), null)));
    FleetClient enroller = FleetClient.of(server.url(), secret(Credentials.ENROL_FILE));
    FleetClient host =
        enroller.withCredential(
            enroller.enrol(new io.jsplice.fleet.api.Enrolment("web-3", null, null, null)).secret());
    io.jsplice.fleet.server.db.DatabaseSettings db =
        io.jsplice.fleet.server.db.DatabaseSettings.embedded(data, 1);
    ForwardedEvent later;
    try (java.sql.Connection slow =
        java.sql.DriverManager.getConnection(db.url(), db.user(), db.password())) {
      // A report's transaction that inserted its event and has not committed yet.
      slow.setAutoCommit(false);
      try (java.sql.PreparedStatement insert =
          slow.prepareStatement(
              "INSERT INTO host_event (id, host_id, host_name, at, kind, jvm_key, pid, update_id,"
                  + " cause, message, received_at) VALUES ('slow-1', 'h', 'web-3',"
                  + " CURRENT_TIMESTAMP, 'APPLY_FAILED', NULL, 0, NULL, 'CODE_BUSY', 'slow',"
                  + " CURRENT_TIMESTAMP)")) {
        insert.executeUpdate();
      }
      host.report(Reports.withEvent(EventKind.APPLIED, "some-update", Reports.jvm(1, "1.9")));
      later = receiver.next().events().get(0);
      assertThat(later.kind()).isEqualTo(EventKind.APPLIED);

      slow.commit();
    }
    host.report(Reports.of(Reports.jvm(1, "1.9"))); // any report wakes the forwarder
    Delivery late = receiver.next();
    assertThat(late.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(EventKind.APPLY_FAILED);
              assertThat(e.cause()).isEqualTo("CODE_BUSY");
              assertThat(e.seq()).isLessThan(later.seq());
            });
    host.report(Reports.withEvent(EventKind.APPLIED, "some-update", Reports.jvm(1, "1.9")));
    assertThat(receiver.next().events())
        .as("the late event is not sent again")
        .singleElement()
        .satisfies(e -> assertThat(e.seq()).isGreaterThan(later.seq()));
  }

  @Test
  void aWebhookThatIsNoHttpUrl_isRefused() {
    assertThatThrownBy(() -> new EventWebhook(URI.create("file:///tmp/hook"), Set.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--events-webhook needs an http: or https: URL, not file:///tmp/hook");
  }

  /**
   * Scrapes /metrics until it has {@code line}; the limit only keeps a broken build from hanging.
   */
  private void awaitMetric(String line) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    String metrics = "";
    while (System.nanoTime() < deadline) {
      metrics =
          http.send(
                  java.net.http.HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      if (metrics.lines().anyMatch(line::equals)) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(metrics.lines()).contains(line);
  }

  private String secret(String file) throws Exception {
    return OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(file));
  }
}
