package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.ForwardedEvent;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.events.EventWebhook;
import io.jsplice.fleet.testkit.TestUpdates;
import io.jsplice.fleet.testkit.WebhookReceiver;
import io.jsplice.fleet.testkit.WebhookReceiver.Delivery;
import io.jsplice.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remediation events reach an operator's webhook, with every part real: a {@code jsplice server}
 * process with {@code --events-webhook}, a {@code jsplice daemon}, a JVM on jettison 1.5.0, and a
 * receiving HTTP server in this test. The JVM's agent refuses the jettison fix that leaves out a
 * class while the webhook is down (it answers 503): the failure, with its cause and CVE, comes
 * again once the webhook is up, signed with the secret; the group then accepts such updates, the
 * daemon applies it, and the success follows. Each event is taken once.
 */
class EventWebhookEndToEndTest {
  private static final String SECRET = "the operator's webhook secret";

  @TempDir Path dir;
  @RegisterExtension final Started started = new Started();

  @AutoClose private final WebhookReceiver receiver = WebhookReceiver.start();

  @Test
  void aFailureWhileTheWebhookIsDown_comesOnceItIsUp_signed_andTheSuccessAfterIt()
      throws Exception {
    receiver.refuse(Integer.MAX_VALUE); // the webhook is down until step 2
    Path secret = dir.resolve("webhook.secret");
    Files.writeString(secret, SECRET + "\n");
    Path trust = TestUpdates.get().trustedCertificate();
    ServerProcess server =
        started.keep(
            ServerProcess.start(
                dir.resolve("server"),
                trust,
                null,
                0,
                List.of(
                    "--events-webhook",
                    receiver.url().toString(),
                    "--events",
                    "APPLIED,APPLY_FAILED",
                    "--events-webhook-secret-file",
                    secret.toString())));
    FleetClient admin = server.admin();
    FleetTarget jvm = started.keep(FleetTarget.start("host-w", Jdk.current(), null));
    DaemonProcess daemon =
        started.keep(
            DaemonProcess.start(
                "host-w", server.url(), server.enrolKey(), dir.resolve("daemon"), trust));
    Await.until(
        "the host reported its JVM", () -> ServerView.jvms(admin, "host-w") == 1, daemon::outputs);

    // 1. The agent refuses the subset; the webhook is down and answers 503.
    admin.publish(Files.readAllBytes(TestUpdates.jettisonLeavingOut()));
    Delivery refused = next(server, daemon);
    while (refused.events().stream().noneMatch(e -> e.kind() == EventKind.APPLY_FAILED)) {
      refused = next(server, daemon);
    }
    assertThat(refused.answered()).isEqualTo(503);
    ForwardedEvent failure = refused.events().get(0);
    assertThat(refused.events()).singleElement().isEqualTo(failure);
    assertThat(refused.signature()).isEqualTo(hmac(refused.body()));
    assertThat(failure.kind()).isEqualTo(EventKind.APPLY_FAILED);
    assertThat(failure.host()).isEqualTo("host-w");
    assertThat(failure.group()).isEqualTo("default");
    assertThat(failure.pid()).isEqualTo(jvm.pid());
    assertThat(failure.jvmKey()).startsWith(jvm.pid() + "@");
    assertThat(failure.mainClass()).contains("FleetService");
    assertThat(failure.updateId()).isEqualTo(TestUpdates.LEFT_OUT_ID);
    assertThat(failure.cves()).containsExactly(TestUpdates.Jettison.UPDATE_ID);
    assertThat(failure.cause()).isEqualTo(HostEvent.CLASSES_LEFT_OUT);
    assertThat(failure.message()).contains("leaves out 1 class(es) of the fixed release");

    // 2. The webhook is up; the group accepts updates that leave out classes: the daemon applies.
    receiver.refuse(0);
    admin.putGroup("default", new GroupSettings(ApplyPolicy.AUTOMATIC, true));
    daemon.pollNow();
    List<ForwardedEvent> taken = new ArrayList<>();
    while (taken.stream().noneMatch(e -> e.kind() == EventKind.APPLIED)) {
      Delivery delivery = next(server, daemon);
      if (delivery.answered() == 204) {
        assertThat(delivery.signature()).isEqualTo(hmac(delivery.body()));
        taken.addAll(delivery.events());
      }
    }
    assertThat(jvm.jsonFixed()).as("the daemon applied the fix").isTrue();
    assertThat(taken)
        .extracting(ForwardedEvent::kind)
        .containsExactly(EventKind.APPLY_FAILED, EventKind.APPLIED);
    assertThat(taken.get(0)).as("the failure, taken once the webhook is up").isEqualTo(failure);
    ForwardedEvent applied = taken.get(1);
    assertThat(applied.seq()).isGreaterThan(failure.seq());
    assertThat(applied.pid()).isEqualTo(jvm.pid());
    assertThat(applied.jvmKey()).isEqualTo(failure.jvmKey());
    assertThat(applied.updateId()).isEqualTo(TestUpdates.LEFT_OUT_ID);
    assertThat(applied.cves()).containsExactly(TestUpdates.Jettison.UPDATE_ID);
    assertThat(applied.group()).isEqualTo("default");
    assertThat(applied.cause()).isNull();

    // 3. The mark follows the webhook's 2xx (the receiver saw the body before it answered); events
    // of other kinds may move it further.
    Path mark = server.data().resolve(EventWebhook.MARK_FILE);
    Await.until(
        "the mark moved past the success",
        () -> readMark(mark) >= applied.seq(),
        () -> "mark " + readMark(mark) + "\n" + server.outputs());
    for (Delivery late : receiver.pending()) {
      assertThat(late.events())
          .as("nothing the webhook took comes again")
          .noneMatch(e -> e.seq() <= applied.seq() && late.answered() == 204);
    }
  }

  private Delivery next(ServerProcess server, DaemonProcess daemon) throws InterruptedException {
    return receiver.next(() -> server.outputs() + "\n" + daemon.outputs());
  }

  private static long readMark(Path mark) {
    try {
      return Long.parseLong(Files.readString(mark).strip());
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static String hmac(byte[] body) {
    return WebhookReceiver.hmacSha256(SECRET, body);
  }
}
