package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.client.FleetClient;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.testkit.Reports;
import io.jsplice.fleet.testkit.TestUpdates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsplice fleet cve CVE}: which JVMs of the fleet are still exposed to a CVE, for a person
 * (exposed first, exit 42 while any is) and as CSV for an auditor (the server's CSV, byte for
 * byte).
 */
class CveVerbTest {
  static final String CVE = "CVE-2022-42889";

  @TempDir Path dir;

  @Test
  void cve_listsTheJvmsStillExposed_exits42UntilNoneIs_andPrintsCsv() throws Exception {
    Path data = dir.resolve("server");
    try (FleetServer server =
        FleetServer.start(
            ServerConfig.embedded(data, List.of(TestUpdates.get().trustedCertificate())))) {
      Path token = data.resolve("admin.token");
      FleetClient admin = FleetClient.of(server.url(), Files.readString(token).strip());
      String id = TestUpdates.UPDATE_ID;
      admin.publish(TestUpdates.get().bytes(TestUpdates.get().signed()));
      admin.importAdvisories(
          ("[{\"id\": \"JSPLICE-TEST-2022-42889\", \"aliases\": [\""
                  + CVE
                  + "\"], \"affected\":"
                  + " [{\"package\": {\"ecosystem\": \"Maven\", \"name\":"
                  + " \"org.apache.commons:commons-text\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\","
                  + " \"events\": [{\"introduced\": \"1.5\"}, {\"fixed\": \"1.10.0\"}]}]}]}]")
              .getBytes(StandardCharsets.UTF_8));
      String secret =
          FleetClient.of(server.url(), Files.readString(data.resolve("enrol.key")).strip())
              .enrol(new Enrolment("web-1", null, null, null))
              .secret();
      FleetClient web1 = FleetClient.of(server.url(), secret);
      web1.report(report(Reports.jvm(101, "1.9", id), Reports.jvm(102, "1.9")));
      String[] where = {"--server", server.url().toString(), "--token-file", token.toString()};

      StringWriter out = new StringWriter();
      assertThat(run(where, out, "fleet", "cve", CVE)).isEqualTo(42);
      assertThat(out.toString().lines())
          .containsExactly(
              CVE + ": 1 JVM(s) on 1 host(s) still exposed, 1 patched",
              "  named by  JSPLICE-TEST-2022-42889; updates " + id,
              "  EXPOSED web-1 JVM 102  org.apache.commons:commons-text:1.9  missing " + id,
              "  patched web-1 JVM 101  org.apache.commons:commons-text:1.9  by " + id);

      StringWriter csv = new StringWriter();
      assertThat(run(where, csv, "fleet", "cve", CVE, "--csv")).isEqualTo(42);
      assertThat(csv.toString()).isEqualTo(admin.cveExposure(CVE).csv().replace("\r\n", "\n"));
      assertThat(csv.toString()).startsWith("cve,host,host_group,pid,");

      web1.report(report(Reports.jvm(101, "1.9", id), Reports.jvm(102, "1.9", id)));
      out = new StringWriter();
      assertThat(run(where, out, "fleet", "cve", CVE)).isZero();
      assertThat(out.toString())
          .startsWith(CVE + ": 0 JVM(s) on 0 host(s) still exposed, 2 patched");

      StringWriter err = new StringWriter();
      assertThat(
              Jsplice.run(
                  concat(new String[] {"fleet", "cve", "CVE-2099-0001"}, where),
                  new PrintWriter(new StringWriter(), true),
                  new PrintWriter(err, true)))
          .isEqualTo(53);
      assertThat(err.toString()).contains("no imported advisory and no published update names");
    }
  }

  private static HostReport report(JvmInventory... jvms) {
    return new HostReport(
        UUID.randomUUID().toString(), Instant.now(), "test", List.of(jvms), List.of());
  }

  private static int run(String[] where, StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    return Jsplice.run(concat(args, where), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String[] concat(String[] args, String[] where) {
    String[] all = new String[args.length + where.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(where, 0, all, args.length, where.length);
    return all;
  }
}
