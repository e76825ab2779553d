package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.ReportReceipt;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestDatabase;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of the server while hosts report concurrently loses no report the server
 * acknowledged: after a restart on the same database, every acknowledged report is there (sending
 * it again is answered "duplicate"). On embedded H2 and on PostgreSQL.
 */
class ServerCrashTest {
  private static final int HOSTS = 8;
  private static final int ACKS_BEFORE_KILL = 300;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void killMinus9_losesNoAcknowledgedReport(TestDatabase backend) throws Exception {
    Path trust = TestUpdates.get().trustedCertificate();
    TestDatabase.Login database = backend.create("crash");
    Path data = dir.resolve("server");
    ServerProcess server = ServerProcess.start(data, trust, database);
    FleetClient enroller =
        FleetClient.of(server.url(), Files.readString(server.enrolKey()).strip());
    List<String> secrets = new ArrayList<>();
    List<FleetClient> hosts = new ArrayList<>();
    for (int i = 0; i < HOSTS; i++) {
      String secret = enroller.enrol(new Enrolment("host-" + i, null, null, null)).secret();
      secrets.add(secret);
      hosts.add(FleetClient.of(server.url(), secret));
    }

    Map<String, HostReport> acknowledged = new ConcurrentHashMap<>();
    Map<String, Integer> senders = new ConcurrentHashMap<>();
    AtomicInteger refusedAfterKill = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < HOSTS; i++) {
      FleetClient host = hosts.get(i);
      int index = i;
      Thread thread =
          new Thread(
              () -> {
                for (int n = 0; ; n++) {
                  HostReport report =
                      Reports.of(
                          Reports.jvm(1000 + n, n % 2 == 0 ? "1.9" : "1.10.0"),
                          Reports.jvm(7, "1.9"));
                  try {
                    ReportReceipt receipt = host.report(report);
                    assertThat(receipt.duplicate()).isFalse();
                    acknowledged.put(receipt.id(), report);
                    senders.put(receipt.id(), index);
                  } catch (FleetException e) {
                    refusedAfterKill.incrementAndGet();
                    return; // the server is gone: this report was never acknowledged
                  }
                }
              },
              "reporter-" + i);
      thread.start();
      threads.add(thread);
    }
    Await.until(
        ACKS_BEFORE_KILL + " reports acknowledged",
        () -> acknowledged.size() >= ACKS_BEFORE_KILL,
        server::outputs);
    server.kill();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(refusedAfterKill.get()).as("every reporter was cut off mid-stream").isEqualTo(HOSTS);

    try (ServerProcess restarted = ServerProcess.start(data, trust, database)) {
      int lost = 0;
      List<String> lostIds = new ArrayList<>();
      for (Map.Entry<String, HostReport> entry : acknowledged.entrySet()) {
        FleetClient host =
            FleetClient.of(restarted.url(), secrets.get(senders.get(entry.getKey())));
        if (!host.report(entry.getValue()).duplicate()) {
          lost++;
          lostIds.add(entry.getKey());
        }
      }
      assertThat(lost)
          .as(
              "acknowledged reports missing after kill -9 (of %d): %s",
              acknowledged.size(), lostIds)
          .isZero();
    }
  }
}
