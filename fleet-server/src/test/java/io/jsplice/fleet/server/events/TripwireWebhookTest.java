package io.jsplice.fleet.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.fleet.testkit.WebhookReceiver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tripwire events reach a webhook: only tripwire events, at least once (a webhook that answered 503
 * gets the same events again), and each delivered event once.
 */
class TripwireWebhookTest {
  @TempDir Path dir;
  @AutoClose private final WebhookReceiver receiver = WebhookReceiver.start();
  @AutoClose private FleetServer server;

  /** The events of the next request the webhook received. */
  private List<FleetEvent> next() throws Exception {
    Map<?, ?> json = FleetJson.read(receiver.next().body(), Map.class);
    return List.of(FleetJson.read(FleetJson.write(json.get("events")), FleetEvent[].class));
  }

  @Test
  void tripwireEventsArePosted_againAfterARefusal_andEachOnceOnceDelivered() throws Exception {
    receiver.refuse(1);
    server =
        FleetServer.start(
            ServerConfig.embedded(
                dir.resolve("server"), List.of(TestUpdates.get().trustedCertificate())),
            null,
            List.of(new TripwireWebhook(receiver.url())));
    FleetClient enroller =
        FleetClient.of(
            server.url(),
            OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(Credentials.ENROL_FILE)));
    FleetClient host =
        enroller.withCredential(
            enroller.enrol(new io.jsplice.fleet.api.Enrolment("web-1", null, null, null)).secret());
    String id = TestUpdates.UPDATE_ID;

    host.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(1, "1.9", id)));
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(1, "1.9", id)));
    List<FleetEvent> refused = next();
    assertThat(refused)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(EventKind.TRIPWIRE);
              assertThat(e.host()).isEqualTo("web-1");
              assertThat(e.updateId()).isEqualTo(id);
            });

    // The webhook answered 503: the same event comes again (after the next report at the latest).
    host.report(Reports.of(Reports.jvm(1, "1.9", id)));
    List<FleetEvent> again = next();
    assertThat(again).extracting(FleetEvent::seq).containsExactly(refused.get(0).seq());

    // Delivered: a new one comes alone.
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(1, "1.9", id)));
    List<FleetEvent> later = next();
    assertThat(later)
        .singleElement()
        .satisfies(e -> assertThat(e.seq()).isGreaterThan(refused.get(0).seq()));
    // The mark moves once the webhook answered: wait for it (the receiver saw the body first).
    Path mark = server.config().dataDir().resolve(TripwireWebhook.MARK_FILE);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.readString(mark).strip().equals(Long.toString(later.get(0).seq()))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(mark).strip()).isEqualTo(Long.toString(later.get(0).seq()));
    assertThat(receiver.pending()).as("nothing delivered twice once accepted").isEmpty();
  }

  @Test
  void aWebhookThatIsNoHttpUrl_isRefused() {
    assertThatThrownBy(() -> new TripwireWebhook(URI.create("file:///tmp/hook")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--tripwire-webhook needs an http: or https: URL, not file:///tmp/hook");
  }
}
