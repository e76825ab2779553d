package io.jsplice.fleet.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VEX statement served next to an update: CycloneDX 1.5, field by field. */
class VexStatementsTest {
  private static final PublishedUpdate UPDATE =
      new PublishedUpdate(
          "text4shell",
          "commons-text 1.9 -> 1.10.0",
          List.of("CVE-2022-42889", "GHSA-599f-7c49-w659"),
          List.of(
              new UpdateTarget("org.apache.commons", "commons-text", "1.9", "1.10.0"),
              new UpdateTarget(null, "patched-classes", null, null)),
          List.of(),
          "ab12",
          1234,
          "CN=jsplice feed",
          "cd34",
          Instant.parse("2026-12-04T10:00:00Z"),
          "admin",
          List.of(),
          0,
          0,
          List.of());

  private static final String PURL = "pkg:maven/org.apache.commons/commons-text@1.9";

  private static final String DETAIL =
      "Resolved in running JVMs by the live update text4shell (sha256 ab12, signed by CN=jsplice"
          + " feed), which installs commons-text 1.9 -> 1.10.0, patched-classes ? -> ? in memory"
          + " without a restart; it holds where the update is in force (jsplice show), and a"
          + " restart on the vulnerable release needs it again.";

  @Test
  void statement_namesTheReleasesItAppliesToAndEachVulnerabilityResolved() throws Exception {
    JsonNode written = FleetJson.mapper().readTree(FleetJson.write(VexStatements.of(UPDATE)));

    String expected =
        """
        {"bomFormat": "CycloneDX", "specVersion": "1.5",
         "serialNumber": "urn:uuid:SERIAL", "version": 1,
         "metadata": {"timestamp": "2026-12-04T10:00:00Z",
           "tools": {"components": [
             {"type": "application", "name": "jsplice", "group": "io.jsplice"}]}},
         "components": [{"type": "library", "bom-ref": "PURL", "group": "org.apache.commons",
           "name": "commons-text", "version": "1.9", "purl": "PURL"}],
         "vulnerabilities": [
           {"bom-ref": "vulnerability:CVE-2022-42889", "id": "CVE-2022-42889",
            "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2022-42889"},
            "analysis": {"state": "resolved", "response": ["update"], "detail": "DETAIL"},
            "affects": [{"ref": "PURL"}]},
           {"bom-ref": "vulnerability:GHSA-599f-7c49-w659", "id": "GHSA-599f-7c49-w659",
            "analysis": {"state": "resolved", "response": ["update"], "detail": "DETAIL"},
            "affects": [{"ref": "PURL"}]}]}
        """
            .replace("SERIAL", written.get("serialNumber").asText().substring("urn:uuid:".length()))
            .replace("PURL", PURL)
            .replace("DETAIL", DETAIL);
    assertThat(written).isEqualTo(FleetJson.mapper().readTree(expected));
    assertThat(written.fieldNames())
        .toIterable()
        .containsExactly(
            "bomFormat",
            "specVersion",
            "serialNumber",
            "version",
            "metadata",
            "components",
            "vulnerabilities");
    assertThat(written.get("vulnerabilities").get(0).fieldNames())
        .toIterable()
        .containsExactly("bom-ref", "id", "source", "analysis", "affects");
  }

  @Test
  void serialNumber_isTheSameForTheSameUpdateAndDiffersForAnother() throws Exception {
    JsonNode once = FleetJson.mapper().readTree(FleetJson.write(VexStatements.of(UPDATE)));
    JsonNode again = FleetJson.mapper().readTree(FleetJson.write(VexStatements.of(UPDATE)));

    assertThat(once.get("serialNumber")).isEqualTo(again.get("serialNumber"));
    assertThat(once.get("serialNumber").asText())
        .isEqualTo(
            "urn:uuid:"
                + java.util.UUID.nameUUIDFromBytes(
                    "jsplice:text4shell:ab12".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
