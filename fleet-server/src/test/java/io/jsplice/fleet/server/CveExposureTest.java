package io.jsplice.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jsplice.fleet.api.CveExposure;
import io.jsplice.fleet.api.CveJvm;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.api.client.FleetException;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Which JVMs are still exposed to CVE X", fleet-wide, as JSON and as CSV for an auditor: the
 * releases an imported advisory covers and the release a published update targets, against what the
 * daemons reported. On embedded H2 and on PostgreSQL.
 */
class CveExposureTest {
  static final String CVE = "CVE-2022-42889";

  /** Text4Shell in OSV form: commons-text from 1.5 up to, not including, 1.10.0. */
  static final String ADVISORY =
      """
      [{"schema_version": "1.4.0", "id": "JSPLICE-TEST-2022-42889", "aliases": ["CVE-2022-42889"],
        "summary": "Text4Shell (a test fixture in OSV form)",
        "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.commons:commons-text"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "1.10.0"}]}]}]}]
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aCve_namesEveryJvmStillExposed_thenThePatched_asJsonAndCsv(Backend backend)
      throws Exception {
    try (RunningServer server = RunningServer.start(backend, dir, "cves")) {
      String id = TestUpdates.UPDATE_ID;
      server.admin().publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      server.admin().importAdvisories(ADVISORY.getBytes(StandardCharsets.UTF_8));
      FleetClient web1 = server.enrol("web-1");
      FleetClient web2 = server.enrol("web-2");
      FleetClient batch = server.enrol("batch-1");
      // web-1: patched (101); on 1.8, which the advisory covers and no update targets (102); on
      // 1.9 without the update, under a main class a spreadsheet would run as a formula (103).
      web1.report(
          Reports.of(
              Reports.jvm(101, "1.9", id),
              Reports.jvm(102, "1.8"),
              jvm(103, "=HYPERLINK(\"http://x\",\"a, b\")", "1.9")));
      // web-2: its daemon failed to apply it to 201; 202 runs the fixed release.
      JvmInventory busy = Reports.jvm(201, "1.9");
      web2.report(
          new HostReport(
              UUID.randomUUID().toString(),
              Instant.now(),
              "test",
              List.of(busy, Reports.jvm(202, "1.10.0")),
              List.of(
                  new HostEvent(
                      UUID.randomUUID().toString(),
                      Instant.now(),
                      EventKind.APPLY_FAILED,
                      busy.key(),
                      busy.pid(),
                      id,
                      "CODE_BUSY",
                      "JVM 201 ran a method the update changes"))));
      // batch-1 never loaded commons-text.
      batch.report(Reports.of(jettison(301)));

      CveExposure exposure = server.admin().cveExposure(CVE);
      assertThat(exposure.advisories()).containsExactly("JSPLICE-TEST-2022-42889");
      assertThat(exposure.updates()).containsExactly(id);
      assertThat(exposure.exposed()).isEqualTo(3);
      assertThat(exposure.jvms())
          .extracting(
              CveJvm::host,
              CveJvm::pid,
              CveJvm::library,
              CveJvm::exposed,
              CveJvm::patchedBy,
              CveJvm::missing)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "web-1", 102L, lib("1.8"), true, List.of(), List.of()),
              org.assertj.core.groups.Tuple.tuple(
                  "web-1", 103L, lib("1.9"), true, List.of(), List.of(id)),
              org.assertj.core.groups.Tuple.tuple(
                  "web-2", 201L, lib("1.9"), true, List.of(), List.of(id)),
              org.assertj.core.groups.Tuple.tuple(
                  "web-1", 101L, lib("1.9"), false, List.of(id), List.of()));
      assertThat(exposure.jvms().get(2).lastFailure())
          .isEqualTo(id + " CODE_BUSY: JVM 201 ran a method the update changes");
      assertThat(exposure.jvms().get(0).lastFailure()).isNull();

      // The same as CSV, with the admin token, as an auditor's script fetches it.
      HttpResponse<String> csv =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(server.server().url() + "/api/v1/cves/" + CVE + "/csv"))
                      .header("Authorization", "Bearer " + server.secret(Credentials.ADMIN_FILE))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
      assertThat(csv.headers().firstValue("Content-Disposition"))
          .contains("attachment; filename=\"" + CVE + "-exposure.csv\"");
      assertThat(csv.body()).isEqualTo(exposure.csv());
      List<String> lines = List.of(csv.body().split("\r\n"));
      assertThat(lines).hasSize(5);
      assertThat(lines.get(0))
          .isEqualTo(
              "cve,host,host_group,pid,jvm_key,main_class,library,exposed,patched_by,missing,"
                  + "last_failure");
      assertThat(lines.get(1))
          .isEqualTo(
              CVE + ",web-1,default,102,102@1700000000000,Text4Shell," + lib("1.8") + ",true,,,");
      // Quoted for its comma and quotes, and defused as a formula.
      assertThat(lines.get(2))
          .isEqualTo(
              CVE
                  + ",web-1,default,103,103@1700000000000,"
                  + "\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\","
                  + lib("1.9")
                  + ",true,,"
                  + id
                  + ",");
      assertThat(lines.get(4))
          .startsWith(CVE + ",web-1,default,101,")
          .contains(",false," + id + ",");

      // A CVE nothing names is an error, not "nothing is exposed".
      FleetException unknown =
          catchThrowableOfType(
              FleetException.class, () -> server.admin().cveExposure("CVE-2099-0001"));
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.getMessage()).contains("CVE-2099-0001");
    }
  }

  private static String lib(String version) {
    return TestUpdates.GROUP_ID + ":" + TestUpdates.ARTIFACT_ID + ":" + version;
  }

  private static JvmInventory jvm(long pid, String mainClass, String version) {
    return new JvmInventory(
        pid + "@1700000000000",
        pid,
        mainClass,
        "java -jar app.jar",
        "17.0.10",
        Instant.ofEpochMilli(1_700_000_000_000L),
        false,
        null,
        List.of(
            new LoadedArtifact(
                TestUpdates.GROUP_ID, TestUpdates.ARTIFACT_ID, version, null, "/srv/app.jar")),
        List.of(),
        StaleVerdict.CURRENT,
        RestartOutlook.SAME);
  }

  private static JvmInventory jettison(long pid) {
    return new JvmInventory(
        pid + "@1700000000000",
        pid,
        "Batch",
        "java -jar batch.jar",
        "17.0.10",
        Instant.ofEpochMilli(1_700_000_000_000L),
        false,
        null,
        List.of(
            new LoadedArtifact(
                TestUpdates.Jettison.GROUP_ID,
                TestUpdates.Jettison.ARTIFACT_ID,
                "1.5.0",
                null,
                "/srv/batch.jar")),
        List.of(),
        StaleVerdict.CURRENT,
        RestartOutlook.SAME);
  }
}
