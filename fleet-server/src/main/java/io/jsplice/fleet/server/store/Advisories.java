package io.jsplice.fleet.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsplice.fleet.api.Advisory;
import io.jsplice.fleet.api.AdvisoryImport;
import io.jsplice.fleet.api.AdvisoryList;
import io.jsplice.fleet.api.AffectedRange;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.HostAdvisories;
import io.jsplice.fleet.api.JvmAdvisory;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Security advisories, imported in OSV format (the schema of the GitHub advisory database and of
 * osv.dev's exports; https://ossf.github.io/osv-schema/): which releases of which Maven library
 * each affects, and the CVE ids it goes by. They let the feed name the CVEs an update fixes, the
 * inventory say which advisories a JVM's libraries are under, and the VEX statements name what is
 * resolved. Only the {@code Maven} ecosystem and {@code ECOSYSTEM} ranges are read.
 */
public final class Advisories {
  private final Database db;

  public Advisories(Database db) {
    this.db = db;
  }

  /**
   * Imports OSV advisories: one object, an array of them, or {@code {"vulns": [...]}}. An advisory
   * imported again replaces its earlier copy.
   *
   * @throws ApiException {@code BAD_REQUEST} for malformed JSON or an advisory without an id
   */
  public AdvisoryImport importOsv(byte[] json, AuditLog.Actor actor) {
    JsonNode root;
    try {
      root = FleetJson.mapper().readTree(json);
    } catch (IOException e) {
      throw ApiException.badRequest("the advisories are not JSON: " + e.getMessage());
    }
    List<JsonNode> entries = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(entries::add);
    } else if (root != null && root.has("vulns") && root.get("vulns").isArray()) {
      root.get("vulns").forEach(entries::add);
    } else if (root != null && root.isObject()) {
      entries.add(root);
    } else {
      throw ApiException.badRequest("send an OSV advisory, an array of them or {\"vulns\": [...]}");
    }
    List<Advisory> advisories = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (JsonNode entry : entries) {
      Advisory advisory = parse(entry);
      if (advisory.affected().isEmpty()) {
        ignored.add(advisory.id());
      } else {
        advisories.add(advisory);
      }
    }
    return db.transaction(
        connection -> {
          for (Advisory advisory : advisories) {
            store(connection, advisory);
          }
          AuditLog.append(
              connection,
              actor,
              "advisory.import",
              advisories.size() + " advisories",
              String.join(", ", advisories.stream().map(Advisory::id).limit(20).toList()));
          return new AdvisoryImport(advisories.stream().map(Advisory::id).toList(), ignored);
        });
  }

  static Advisory parse(JsonNode node) {
    String id = text(node, "id");
    if (id == null || id.isBlank() || id.length() > 128) {
      throw ApiException.badRequest("an advisory has no id (or one over 128 characters)");
    }
    List<String> aliases = new ArrayList<>();
    node.path("aliases").forEach(a -> aliases.add(a.asText()));
    node.path("upstream").forEach(a -> aliases.add(a.asText()));
    List<AffectedRange> ranges = new ArrayList<>();
    for (JsonNode affected : node.path("affected")) {
      JsonNode pkg = affected.path("package");
      String name = text(pkg, "name");
      if (!"Maven".equalsIgnoreCase(text(pkg, "ecosystem")) || name == null) {
        continue;
      }
      int colon = name.indexOf(':');
      if (colon <= 0 || colon == name.length() - 1) {
        continue;
      }
      String group = name.substring(0, colon);
      String artifact = name.substring(colon + 1);
      List<String> versions = new ArrayList<>();
      affected.path("versions").forEach(v -> versions.add(v.asText()));
      boolean ranged = false;
      for (JsonNode range : affected.path("ranges")) {
        if (!"ECOSYSTEM".equals(text(range, "type"))) {
          continue;
        }
        String introduced = null;
        boolean open = false;
        for (JsonNode event : range.path("events")) {
          if (event.has("introduced")) {
            if (open) {
              ranges.add(new AffectedRange(group, artifact, introduced, null, null, List.of()));
            }
            introduced = event.get("introduced").asText();
            open = true;
          } else if (event.has("fixed") || event.has("last_affected")) {
            ranges.add(
                new AffectedRange(
                    group,
                    artifact,
                    introduced,
                    text(event, "fixed"),
                    text(event, "last_affected"),
                    List.of()));
            open = false;
            ranged = true;
          }
        }
        if (open) {
          ranges.add(new AffectedRange(group, artifact, introduced, null, null, List.of()));
          ranged = true;
        }
      }
      if (!versions.isEmpty() || !ranged) {
        ranges.add(new AffectedRange(group, artifact, null, null, null, versions));
      }
    }
    return new Advisory(
        id,
        aliases,
        text(node, "summary") == null ? "" : text(node, "summary"),
        instant(text(node, "published")),
        instant(text(node, "modified")),
        ranges);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void store(Connection connection, Advisory advisory) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM advisory WHERE id = ?")) {
      delete.setString(1, advisory.id());
      delete.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO advisory (id, aliases, summary, published, modified, imported_at) VALUES"
                + " (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, advisory.id());
      insert.setString(2, Sql.clip(String.join("\n", advisory.aliases()), 4000));
      insert.setString(3, Sql.clip(advisory.summary(), 2000));
      Sql.setInstant(insert, 4, advisory.published());
      Sql.setInstant(insert, 5, advisory.modified());
      Sql.setInstant(insert, 6, Instant.now());
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO advisory_range (advisory_id, group_id, artifact_id, introduced, fixed,"
                + " last_affected, versions) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (AffectedRange range : advisory.affected()) {
        insert.setString(1, advisory.id());
        insert.setString(2, Sql.clip(range.groupId(), 255));
        insert.setString(3, Sql.clip(range.artifactId(), 255));
        insert.setString(4, Sql.clip(range.introduced(), 100));
        insert.setString(5, Sql.clip(range.fixed(), 100));
        insert.setString(6, Sql.clip(range.lastAffected(), 100));
        insert.setString(7, Sql.clip(String.join("\n", range.versions()), 100000));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  public AdvisoryList list() {
    return db.read(connection -> new AdvisoryList(load(connection, null, null)));
  }

  /** The advisories, with only the ranges of {@code group:artifact} when given. */
  static List<Advisory> load(Connection connection, String groupId, String artifactId)
      throws SQLException {
    Map<String, List<AffectedRange>> ranges = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT advisory_id, group_id, artifact_id, introduced, fixed, last_affected, versions"
                + " FROM advisory_range"
                + (groupId == null ? "" : " WHERE group_id = ? AND artifact_id = ?")
                + " ORDER BY advisory_id, group_id, artifact_id")) {
      if (groupId != null) {
        query.setString(1, groupId);
        query.setString(2, artifactId);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String versions = rows.getString(7);
          ranges
              .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(
                  new AffectedRange(
                      rows.getString(2),
                      rows.getString(3),
                      rows.getString(4),
                      rows.getString(5),
                      rows.getString(6),
                      versions == null || versions.isEmpty()
                          ? List.of()
                          : Arrays.asList(versions.split("\n"))));
        }
      }
    }
    List<Advisory> out = new ArrayList<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT id, aliases, summary, published, modified FROM advisory ORDER BY id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        List<AffectedRange> affected = ranges.get(rows.getString(1));
        if (affected == null) {
          continue;
        }
        String aliases = rows.getString(2);
        out.add(
            new Advisory(
                rows.getString(1),
                aliases.isEmpty() ? List.of() : Arrays.asList(aliases.split("\n")),
                rows.getString(3),
                Sql.instant(rows, "published"),
                Sql.instant(rows, "modified"),
                affected));
      }
    }
    return out;
  }

  /** Whether {@code range} covers {@code version} of its library. */
  static boolean affects(AffectedRange range, String version) {
    if (version == null) {
      return false;
    }
    if (range.versions().contains(version)) {
      return true;
    }
    boolean isRange =
        range.introduced() != null || range.fixed() != null || range.lastAffected() != null;
    if (!isRange) {
      return false;
    }
    String from = range.introduced();
    if (from != null && !from.equals("0") && MavenVersions.ORDER.compare(version, from) < 0) {
      return false;
    }
    if (range.fixed() != null) {
      return MavenVersions.ORDER.compare(version, range.fixed()) < 0;
    }
    if (range.lastAffected() != null) {
      return MavenVersions.ORDER.compare(version, range.lastAffected()) <= 0;
    }
    return true;
  }

  /** The advisories that affect {@code group:artifact:version}. */
  static List<Advisory> affecting(
      Connection connection, String groupId, String artifactId, String version)
      throws SQLException {
    List<Advisory> out = new ArrayList<>();
    for (Advisory advisory : load(connection, groupId, artifactId)) {
      if (advisory.affected().stream().anyMatch(r -> affects(r, version))) {
        out.add(advisory);
      }
    }
    return out;
  }

  /**
   * The CVE ids (or, for an advisory without one, its id) that a move from release {@code from} to
   * {@code to} of a library fixes: the advisories that affect {@code from} and not {@code to}.
   */
  public List<String> fixedBy(String groupId, String artifactId, String from, String to) {
    return db.read(
        connection -> {
          Set<String> out = new LinkedHashSet<>();
          for (Advisory advisory : load(connection, groupId, artifactId)) {
            boolean before = advisory.affected().stream().anyMatch(r -> affects(r, from));
            boolean after = advisory.affected().stream().anyMatch(r -> affects(r, to));
            if (before && !after) {
              List<String> cves = advisory.cves();
              out.addAll(cves.isEmpty() ? List.of(advisory.id()) : cves);
            }
          }
          return List.copyOf(out);
        });
  }

  /**
   * The advisories that affect what the JVMs of host {@code name} loaded, and what patches them.
   */
  public HostAdvisories forHost(String name) {
    return db.read(
        connection -> {
          String hostId = Hosts.summary(connection, name).id();
          Map<String, List<String>> inForce = new HashMap<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT u.jvm_key, p.id, p.cves FROM jvm_update u JOIN published_update p ON"
                      + " p.id = u.update_id WHERE u.host_id = ?")) {
            query.setString(1, hostId);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String cves = rows.getString(3);
                for (String cve : cves == null ? new String[0] : cves.split("\n")) {
                  inForce
                      .computeIfAbsent(rows.getString(1) + "\n" + cve, k -> new ArrayList<>())
                      .add(rows.getString(2));
                }
              }
            }
          }
          List<JvmAdvisory> out = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT DISTINCT j.jvm_key, j.pid, a.group_id, a.artifact_id, a.version FROM"
                      + " jvm j JOIN jvm_artifact a ON a.host_id = j.host_id AND a.jvm_key ="
                      + " j.jvm_key WHERE j.host_id = ? AND EXISTS (SELECT 1 FROM advisory_range r"
                      + " WHERE r.group_id = a.group_id AND r.artifact_id = a.artifact_id) ORDER BY"
                      + " j.pid, a.group_id, a.artifact_id")) {
            query.setString(1, hostId);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String key = rows.getString(1);
                String group = rows.getString(3);
                String artifact = rows.getString(4);
                String version = rows.getString(5);
                for (Advisory advisory : affecting(connection, group, artifact, version)) {
                  Set<String> patchedBy = new LinkedHashSet<>();
                  for (String cve :
                      advisory.cves().isEmpty() ? List.of(advisory.id()) : advisory.cves()) {
                    patchedBy.addAll(inForce.getOrDefault(key + "\n" + cve, List.of()));
                  }
                  String fixedIn =
                      advisory.affected().stream()
                          .filter(r -> affects(r, version) && r.fixed() != null)
                          .map(AffectedRange::fixed)
                          .findFirst()
                          .orElse(null);
                  out.add(
                      new JvmAdvisory(
                          key,
                          rows.getLong(2),
                          group + ":" + artifact + ":" + version,
                          advisory.id(),
                          advisory.cves(),
                          advisory.summary(),
                          fixedIn,
                          List.copyOf(patchedBy)));
                }
              }
            }
          }
          return new HostAdvisories(name, out);
        });
  }
}
