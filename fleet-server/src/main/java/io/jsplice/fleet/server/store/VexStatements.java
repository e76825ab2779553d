package io.jsplice.fleet.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The machine-readable statement of what an update fixes, in CycloneDX's VEX form (1.5): the
 * releases it applies to as components (package URLs), and for each CVE it names, that the
 * vulnerability is resolved by this update in the JVMs that run it. Served next to the update.
 */
public final class VexStatements {
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json; version=1.5";

  private static final Metadata.Tool JSPLICE =
      new Metadata.Tool("application", "jsplice", "io.jsplice");

  private VexStatements() {}

  /** The statement, the same for the same update on every server. */
  public static Bom of(PublishedUpdate update) {
    List<Component> components = new ArrayList<>();
    List<Vulnerability.Ref> affects = new ArrayList<>();
    for (UpdateTarget target : update.targets()) {
      if (target.groupId() == null || target.fromVersion() == null) {
        continue;
      }
      String purl =
          "pkg:maven/" + target.groupId() + "/" + target.artifactId() + "@" + target.fromVersion();
      components.add(
          new Component(
              "library", purl, target.groupId(), target.artifactId(), target.fromVersion(), purl));
      affects.add(new Vulnerability.Ref(purl));
    }
    List<Vulnerability> vulnerabilities = new ArrayList<>();
    for (String cve : update.cves()) {
      vulnerabilities.add(
          new Vulnerability(
              "vulnerability:" + cve,
              cve,
              cve.startsWith("CVE-")
                  ? new Vulnerability.Source("NVD", "https://nvd.nist.gov/vuln/detail/" + cve)
                  : null,
              new Vulnerability.Analysis("resolved", List.of("update"), detail(update)),
              affects));
    }
    return new Bom(
        "CycloneDX",
        "1.5",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                ("jsplice:" + update.id() + ":" + update.sha256())
                    .getBytes(StandardCharsets.UTF_8)),
        1,
        new Metadata(update.publishedAt().toString(), new Metadata.Tools(List.of(JSPLICE))),
        components,
        vulnerabilities);
  }

  private static String detail(PublishedUpdate update) {
    return "Resolved in running JVMs by the live update "
        + update.id()
        + " (sha256 "
        + update.sha256()
        + ", signed by "
        + update.signer()
        + "), which installs "
        + String.join(", ", update.targets().stream().map(UpdateTarget::display).toList())
        + " in memory without a restart; it holds where the update is in force (jsplice"
        + " show), and a restart on the vulnerable release needs it again.";
  }

  /** A CycloneDX document that holds only the statement. */
  public record Bom(
      String bomFormat,
      String specVersion,
      String serialNumber,
      int version,
      Metadata metadata,
      List<Component> components,
      List<Vulnerability> vulnerabilities) {}

  /** When the statement was made, and by what. */
  public record Metadata(String timestamp, Tools tools) {
    public record Tools(List<Tool> components) {}

    public record Tool(String type, String name, String group) {}
  }

  /** A release the update applies to. */
  public record Component(
      String type,
      @JsonProperty("bom-ref") String bomRef,
      String group,
      String name,
      String version,
      String purl) {}

  /**
   * One vulnerability the update resolves.
   *
   * @param source where it is described; null when it has no CVE id (absent from the JSON)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Vulnerability(
      @JsonProperty("bom-ref") String bomRef,
      String id,
      Source source,
      Analysis analysis,
      List<Ref> affects) {
    public record Source(String name, String url) {}

    public record Analysis(String state, List<String> response, String detail) {}

    /** A component it affects, by its {@code bom-ref}. */
    public record Ref(String ref) {}
  }
}
