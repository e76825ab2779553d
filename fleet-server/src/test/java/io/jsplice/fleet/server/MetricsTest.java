package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Prometheus metrics at /metrics: the fleet's counts from the database and request latency. */
class MetricsTest {
  @TempDir Path dir;

  @Test
  void metrics_countHostsJvmsUpdatesResultsAndRequests() throws Exception {
    try (RunningServer server = RunningServer.start(Backend.H2, dir, "metrics")) {
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      FleetClient web = server.enrol("web-1");
      FleetClient db = server.enrol("db-1");
      server.admin().deactivate("db-1", null);
      String id = TestUpdates.UPDATE_ID;
      web.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(1, "1.9", id)));
      web.report(Reports.withEvent(EventKind.TRIPWIRE, id, Reports.jvm(1, "1.9", id)));
      db.report(Reports.of(Reports.jvm(2, "1.9"), Reports.jvm(3, "1.10.0")));
      web.updates(null);
      server.admin().status(); // refreshes the counts the scrape reports

      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.server().url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("jsplice_fleet_hosts{state=\"active\"} 1.0")
          .contains("jsplice_fleet_hosts{state=\"deactivated\"} 1.0")
          .contains("jsplice_fleet_hosts{state=\"pending\"} 0.0")
          .contains("jsplice_fleet_jvms{status=\"all\"} 3.0")
          .contains("jsplice_fleet_jvms{status=\"patched\"} 1.0")
          .contains("jsplice_fleet_jvms{status=\"vulnerable\"} 1.0")
          .contains("jsplice_fleet_updates_published 1.0")
          .contains("jsplice_fleet_update_results_total{outcome=\"applied\"} 1.0")
          .contains("jsplice_fleet_update_results_total{outcome=\"failed\"} 0.0")
          .contains("jsplice_fleet_tripwire_events_total 1.0")
          .containsPattern(
              "jsplice_fleet_http_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/host/updates\",status=\"200\"} 1")
          .containsPattern("jsplice_fleet_http_requests_seconds_bucket\\{.*le=\"0\\.05")
          .contains("jvm_memory_used_bytes");
    }
  }

  /**
   * What an operator alerts on: hosts and JVMs still exposed per CVE a published update names, the
   * failed applies by cause (with a bounded set of labels), and the updates in force.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void metrics_countExposurePerCve_failuresByCause_andUpdatesInForce(Backend backend)
      throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "metrics_cve")) {
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      String id = TestUpdates.UPDATE_ID;
      FleetClient web = server.enrol("web-1");
      FleetClient db = server.enrol("db-1");
      web.report(Reports.of(Reports.jvm(1, "1.9", id), Reports.jvm(4, "1.9")));
      db.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(2, "1.9")));
      db.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(2, "1.9")));
      db.report(Reports.of(Reports.jvm(2, "1.9"), Reports.jvm(3, "1.10.0")));
      server.admin().status();

      String metrics = scrape(server);
      assertThat(metrics)
          .contains("jsplice_fleet_cve_exposed_hosts{cve=\"CVE-2022-42889\"} 2.0")
          .contains("jsplice_fleet_cve_exposed_jvms{cve=\"CVE-2022-42889\"} 2.0")
          .contains("jsplice_fleet_apply_failures_total{cause=\"RUN_PRE_MISMATCH\"} 2.0")
          .contains("jsplice_fleet_updates_in_force 1.0");

      // 40 more causes, one a host made up with a line break: no more than 32 labels, the rest
      // OTHER.
      for (int i = 0; i < 40; i++) {
        db.report(withCause(Reports.jvm(2, "1.9"), "MADE_UP_" + i));
      }
      db.report(withCause(Reports.jvm(2, "1.9"), "x\"} 1\nevil"));
      server.admin().status();
      String more = scrape(server);
      assertThat(more.lines().filter(l -> l.startsWith("jsplice_fleet_apply_failures_total{")))
          .hasSize(33)
          .contains("jsplice_fleet_apply_failures_total{cause=\"RUN_PRE_MISMATCH\"} 2.0")
          .contains("jsplice_fleet_apply_failures_total{cause=\"OTHER\"} 10.0");
      assertThat(more).doesNotContain("evil");
    }
  }

  private static io.jsplice.fleet.api.HostReport withCause(
      io.jsplice.fleet.api.JvmInventory jvm, String cause) {
    io.jsplice.fleet.api.HostReport report =
        Reports.withEvent(EventKind.APPLY_FAILED, TestUpdates.UPDATE_ID, jvm);
    io.jsplice.fleet.api.HostEvent e = report.events().get(0);
    return new io.jsplice.fleet.api.HostReport(
        report.id(),
        report.sentAt(),
        report.daemonVersion(),
        report.jvms(),
        List.of(
            new io.jsplice.fleet.api.HostEvent(
                e.id(), e.at(), e.kind(), e.jvmKey(), e.pid(), e.updateId(), cause, e.message())));
  }

  private static String scrape(RunningServer server) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.server().url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
