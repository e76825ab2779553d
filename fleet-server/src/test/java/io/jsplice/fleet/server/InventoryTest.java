package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.ExposureReport;
import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmExposure;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.ReportReceipt;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-JVM inventory from the daemons' reports: stored once however often it is sent, replaced by
 * the next report, and queried for "which JVMs load a vulnerable X, and which are patched". On
 * embedded H2 and on PostgreSQL.
 */
class InventoryTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aResentReport_isStoredOnce(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "resent")) {
      FleetClient host = server.enrol("web-1");
      HostReport report = Reports.withEvent(EventKind.APPLIED, "X", Reports.jvm(1, "1.9", "X"));
      ReportReceipt first = host.report(report);
      ReportReceipt again = host.report(report);
      assertThat(first.duplicate()).isFalse();
      assertThat(again.duplicate()).isTrue();
      assertThat(server.admin().reports("web-1").reports()).hasSize(1);
      assertThat(server.admin().events(0, 100).events()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void exposure_namesVulnerablePatchedAndUnaffectedJvmsPerHost(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "exposure")) {
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      FleetClient web = server.enrol("web-1");
      FleetClient batch = server.enrol("batch-1");
      String id = TestUpdates.UPDATE_ID;
      // Two JVMs of one host on different releases; one patched JVM on the other host.
      web.report(Reports.of(Reports.jvm(101, "1.9"), Reports.jvm(102, "1.10.0")));
      batch.report(Reports.withEvent(EventKind.APPLIED, id, Reports.jvm(201, "1.9", id)));

      ExposureReport exposure =
          server.admin().exposure(TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID);
      assertThat(exposure.jvms())
          .extracting(
              JvmExposure::host,
              JvmExposure::pid,
              JvmExposure::version,
              JvmExposure::patchedBy,
              JvmExposure::missing)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "batch-1", 201L, "1.9", java.util.List.of(id), java.util.List.of()),
              org.assertj.core.groups.Tuple.tuple(
                  "web-1", 101L, "1.9", java.util.List.of(), java.util.List.of(id)),
              org.assertj.core.groups.Tuple.tuple(
                  "web-1", 102L, "1.10.0", java.util.List.of(), java.util.List.of()));
      assertThat(exposure.vulnerable()).isEqualTo(1);
      assertThat(exposure.patched()).isEqualTo(1);

      FleetStatus status = server.admin().status();
      assertThat(status.jvms()).isEqualTo(3);
      assertThat(status.jvmsPatched()).isEqualTo(1);
      assertThat(status.jvmsVulnerable()).isEqualTo(1);
      assertThat(status.applied()).isEqualTo(1);
      assertThat(server.admin().hosts().hosts())
          .extracting(
              h -> h.name() + " " + h.jvms() + "/" + h.jvmsPatched() + "/" + h.jvmsVulnerable())
          .containsExactly("batch-1 1/1/0", "web-1 2/0/1");

      // The next report replaces the host's JVMs: the vulnerable one was patched.
      web.report(Reports.of(Reports.jvm(101, "1.9", id), Reports.jvm(102, "1.10.0")));
      assertThat(
              server
                  .admin()
                  .exposure(TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID)
                  .vulnerable())
          .isZero();
      PublishedUpdate update = server.admin().update(id);
      assertThat(update.jvmsApplied()).isEqualTo(2);
      assertThat(server.admin().host("web-1").jvms()).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void failures_countPerJvmAndAppearAsEvents(Backend backend) throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "failures")) {
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      FleetClient host = server.enrol("web-1");
      String id = TestUpdates.UPDATE_ID;
      host.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(5, "1.9")));
      host.report(Reports.withEvent(EventKind.APPLY_FAILED, id, Reports.jvm(5, "1.9")));
      assertThat(server.admin().update(id).jvmsFailed()).isEqualTo(1);
      assertThat(server.admin().status().failed()).isEqualTo(2);
      assertThat(server.admin().host("web-1").events())
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.cause()).isEqualTo("RUN_PRE_MISMATCH"));
    }
  }
}
