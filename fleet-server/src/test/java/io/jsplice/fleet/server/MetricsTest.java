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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
          .containsPattern(
              "jsplice_fleet_http_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/host/updates\",status=\"200\"} 1")
          .containsPattern("jsplice_fleet_http_requests_seconds_bucket\\{.*le=\"0\\.05")
          .contains("jvm_memory_used_bytes");
    }
  }
}
