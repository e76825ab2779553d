package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The machine-readable statement of what an update fixes, in CycloneDX's VEX form (1.5): the
 * releases it applies to as components (package URLs), and for each CVE it names, that the
 * vulnerability is resolved by this update in the JVMs that run it. Served next to the update.
 */
public final class VexStatements {
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json; version=1.5";

  private VexStatements() {}

  /** The statement, as a JSON-ready map, the same for the same update on every server. */
  public static Map<String, Object> of(PublishedUpdate update) {
    Map<String, Object> bom = new LinkedHashMap<>();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    bom.put(
        "serialNumber",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                ("jsplice:" + update.id() + ":" + update.sha256())
                    .getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("timestamp", update.publishedAt().toString());
    metadata.put(
        "tools",
        Map.of(
            "components",
            List.of(Map.of("type", "application", "name", "jsplice", "group", "io.jsplice"))));
    bom.put("metadata", metadata);
    List<Map<String, Object>> components = new ArrayList<>();
    List<Map<String, Object>> affects = new ArrayList<>();
    for (UpdateTarget target : update.targets()) {
      if (target.groupId() == null || target.fromVersion() == null) {
        continue;
      }
      String purl =
          "pkg:maven/" + target.groupId() + "/" + target.artifactId() + "@" + target.fromVersion();
      Map<String, Object> component = new LinkedHashMap<>();
      component.put("type", "library");
      component.put("bom-ref", purl);
      component.put("group", target.groupId());
      component.put("name", target.artifactId());
      component.put("version", target.fromVersion());
      component.put("purl", purl);
      components.add(component);
      affects.add(Map.of("ref", purl));
    }
    bom.put("components", components);
    List<Map<String, Object>> vulnerabilities = new ArrayList<>();
    for (String cve : update.cves()) {
      Map<String, Object> vulnerability = new LinkedHashMap<>();
      vulnerability.put("bom-ref", "vulnerability:" + cve);
      vulnerability.put("id", cve);
      if (cve.startsWith("CVE-")) {
        vulnerability.put(
            "source", Map.of("name", "NVD", "url", "https://nvd.nist.gov/vuln/detail/" + cve));
      }
      Map<String, Object> analysis = new LinkedHashMap<>();
      analysis.put("state", "resolved");
      analysis.put("response", List.of("update"));
      analysis.put(
          "detail",
          "Resolved in running JVMs by the live update "
              + update.id()
              + " (sha256 "
              + update.sha256()
              + ", signed by "
              + update.signer()
              + "), which installs "
              + String.join(", ", update.targets().stream().map(UpdateTarget::display).toList())
              + " in memory without a restart; it holds where the update is in force (jsplice"
              + " show), and a restart on the vulnerable release needs it again.");
      vulnerability.put("analysis", analysis);
      vulnerability.put("affects", affects);
      vulnerabilities.add(vulnerability);
    }
    bom.put("vulnerabilities", vulnerabilities);
    return bom;
  }
}
