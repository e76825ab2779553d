package io.jsplice.fleet.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tripwire events reach a syslog collector: one RFC 5424 message per tripwire event in a UDP
 * datagram to a real socket, nothing for other events, and each event once.
 */
class TripwireSyslogTest {
  /** PRI (security/authorization, warning), version, time, host, app, pid, msgid, no SD, BOM. */
  private static final Pattern RFC5424 =
      Pattern.compile("<36>1 (\\S+) (\\S+) jsplice (\\S+) TRIPWIRE - \uFEFFseq (\\d+): (.*)");

  @TempDir Path dir;
  private DatagramSocket collector;
  private FleetServer server;

  @BeforeEach
  void listen() throws Exception {
    collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    // Only keeps a broken build from hanging: each receive returns as soon as a datagram arrives.
    collector.setSoTimeout((int) TimeUnit.MINUTES.toMillis(5));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    collector.close();
  }

  private Matcher next() throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
    collector.receive(packet);
    String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    Matcher m = RFC5424.matcher(text);
    assertThat(m.matches()).as(text).isTrue();
    return m;
  }

  @Test
  void eachTripwireEventIsOneRfc5424Datagram_andOtherEventsAreNotSent() throws Exception {
    URI target = URI.create("udp://127.0.0.1:" + collector.getLocalPort());
    server =
        FleetServer.start(
            ServerConfig.embedded(
                dir.resolve("server"), List.of(TestUpdates.get().trustedCertificate())),
            null,
            List.of(new TripwireSyslog(target)));
    FleetClient enroller =
        FleetClient.of(
            server.url(),
            OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(Credentials.ENROL_FILE)));
    FleetClient host =
        enroller.withCredential(
            enroller.enrol(new io.jsplice.fleet.api.Enrolment("web-1", null, null, null)).secret());
    FleetClient admin =
        FleetClient.of(
            server.url(),
            OwnerOnlyFiles.readSecret(server.config().dataDir().resolve(Credentials.ADMIN_FILE)));
    String id = TestUpdates.UPDATE_ID;

    host.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(1, "1.9", id)));
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(7, "1.9", id)));
    Matcher first = next();
    FleetEvent stored =
        admin.events(0, 100).events().stream()
            .filter(e -> e.kind() == EventKind.TRIPWIRE)
            .findFirst()
            .orElseThrow();
    assertThat(first.group(4)).isEqualTo(Long.toString(stored.seq()));
    assertThat(Instant.parse(first.group(1))).isEqualTo(stored.at().truncatedTo(ChronoUnit.MILLIS));
    assertThat(first.group(2)).isEqualTo("web-1");
    assertThat(first.group(3)).isEqualTo("7");
    assertThat(first.group(5)).isEqualTo(stored.message());

    host.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(1, "1.9", id)));
    host.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(8, "1.9", id)));
    Matcher second = next();
    assertThat(Long.parseLong(second.group(4)))
        .as("the next datagram is the next tripwire event: nothing else, nothing twice")
        .isGreaterThan(stored.seq());
    assertThat(second.group(3)).isEqualTo("8");
    Path mark = server.config().dataDir().resolve(TripwireSyslog.MARK_FILE);
    assertThat(Files.exists(mark)).isTrue();
  }

  @Test
  void aLongLine_isCutToOneDatagram_atACharacterBoundary_andControlCharactersAreBlanked() {
    String line = "exploit\nattempt " + "é".repeat(3000);
    FleetEvent event =
        new FleetEvent(42, "web 1", Instant.EPOCH, EventKind.TRIPWIRE, "k", 0, "u", null, line);

    byte[] message = TripwireSyslog.message(event);

    assertThat(message.length).isLessThanOrEqualTo(TripwireSyslog.MAX_DATAGRAM);
    assertThat(message.length).isGreaterThan(TripwireSyslog.MAX_DATAGRAM - 2);
    String text = new String(message, StandardCharsets.UTF_8);
    assertThat(Arrays.equals(text.getBytes(StandardCharsets.UTF_8), message))
        .as("valid UTF-8: no character cut in two")
        .isTrue();
    assertThat(text)
        .startsWith(
            "<36>1 1970-01-01T00:00:00Z web_1 jsplice - TRIPWIRE - \uFEFFseq 42: exploit attempt é");
  }

  @Test
  void aTargetThatIsNoUdpUrl_isRefused() {
    assertThatThrownBy(() -> new TripwireSyslog(URI.create("tcp://logs.example:514")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tripwire-syslog needs udp://HOST or udp://HOST:PORT, not tcp://logs.example:514");
  }
}
