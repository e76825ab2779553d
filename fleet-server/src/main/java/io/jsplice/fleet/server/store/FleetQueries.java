package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.ExposureReport;
import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.api.JvmExposure;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Questions about the whole fleet: the status counts and "who runs a vulnerable X". */
public final class FleetQueries {
  private final Database db;

  public FleetQueries(Database db) {
    this.db = db;
  }

  /**
   * The counts of {@link FleetStatus}.
   *
   * @param silentAfter an active host not seen for this long counts as silent
   */
  public FleetStatus status(Duration silentAfter) {
    return db.read(
        connection -> {
          Instant now = Instant.now();
          Map<String, Integer> hosts = new LinkedHashMap<>();
          try (PreparedStatement query =
                  connection.prepareStatement("SELECT state, COUNT(*) FROM host GROUP BY state");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              hosts.put(rows.getString(1), rows.getInt(2));
            }
          }
          int silent;
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM host WHERE state = 'ACTIVE' AND (last_seen IS NULL OR"
                      + " last_seen < ?)")) {
            io.jsplice.fleet.server.db.Sql.setInstant(query, 1, now.minus(silentAfter));
            silent = count(query);
          }
          int jvms = count(connection, "SELECT COUNT(*) FROM jvm j");
          int patched =
              count(connection, "SELECT COUNT(*) FROM jvm j WHERE " + JvmConditions.PATCHED);
          int vulnerable =
              count(connection, "SELECT COUNT(*) FROM jvm j WHERE " + JvmConditions.VULNERABLE);
          int stale = count(connection, "SELECT COUNT(*) FROM jvm j WHERE j.stale = 'STALE'");
          int updates = count(connection, "SELECT COUNT(*) FROM published_update");
          long applied =
              count(connection, "SELECT COUNT(*) FROM host_event WHERE kind = 'APPLIED'");
          long failed =
              count(connection, "SELECT COUNT(*) FROM host_event WHERE kind = 'APPLY_FAILED'");
          return new FleetStatus(
              hosts.getOrDefault("ACTIVE", 0),
              hosts.getOrDefault("PENDING", 0),
              hosts.getOrDefault("DEACTIVATED", 0),
              silent,
              jvms,
              patched,
              vulnerable,
              stale,
              updates,
              applied,
              failed,
              now);
        });
  }

  /**
   * Exploit attempts blocked by patched code that daemons reported ({@code TRIPWIRE} events), ever.
   */
  public long tripwireEvents() {
    return db.read(
        connection ->
            (long) count(connection, "SELECT COUNT(*) FROM host_event WHERE kind = 'TRIPWIRE'"));
  }

  /**
   * What {@link #remediation()} counts for one CVE.
   *
   * @param cve as a published update names it
   * @param hosts hosts with at least one exposed JVM
   * @param jvms JVMs (in the latest reports) that loaded a release an update naming the CVE
   *     targets, and run none of the updates naming it
   */
  public record CveCount(String cve, int hosts, int jvms) {}

  /**
   * The counts an operator alerts on, beyond {@link FleetStatus}.
   *
   * @param applyFailures {@code APPLY_FAILED} events ever reported, by cause (null as {@code
   *     UNKNOWN})
   * @param exposed every CVE a published update names, in the order first published
   * @param updatesInForce (JVM, published update) pairs in force in the latest reports
   */
  public record Remediation(
      Map<String, Long> applyFailures, List<CveCount> exposed, long updatesInForce) {}

  /** The counts of {@link Remediation}, in one read. */
  public Remediation remediation() {
    return db.read(
        connection -> {
          Map<String, Long> failures = new LinkedHashMap<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT cause, COUNT(*) FROM host_event WHERE kind = 'APPLY_FAILED' GROUP BY"
                          + " cause ORDER BY cause");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              String cause = rows.getString(1) == null ? "UNKNOWN" : rows.getString(1);
              failures.merge(cause, rows.getLong(2), Long::sum);
            }
          }
          Map<String, List<String>> updatesByCve = new LinkedHashMap<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT id, cves FROM published_update ORDER BY seq");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              String cves = rows.getString(2);
              if (cves == null || cves.isBlank()) {
                continue;
              }
              for (String cve : cves.split("\n")) {
                updatesByCve.computeIfAbsent(cve, c -> new ArrayList<>()).add(rows.getString(1));
              }
            }
          }
          List<CveCount> exposed = new ArrayList<>();
          for (Map.Entry<String, List<String>> entry : updatesByCve.entrySet()) {
            exposed.add(exposed(connection, entry.getKey(), entry.getValue()));
          }
          long inForce =
              count(
                  connection,
                  "SELECT COUNT(*) FROM jvm_update u JOIN published_update p ON p.id ="
                      + " u.update_id");
          return new Remediation(failures, exposed, inForce);
        });
  }

  /**
   * The hosts and JVMs that loaded a release one of {@code updates} targets and run none of them:
   * from the releases the updates target (an indexed lookup), not from every JVM.
   */
  private static CveCount exposed(Connection connection, String cve, List<String> updates)
      throws SQLException {
    String ids = String.join(", ", java.util.Collections.nCopies(updates.size(), "?"));
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT COUNT(DISTINCT a.host_id), COUNT(DISTINCT a.host_id || '/' || a.jvm_key) FROM"
                + " update_target t JOIN jvm_artifact a ON a.group_id = t.group_id AND"
                + " a.artifact_id = t.artifact_id AND a.version = t.from_version WHERE t.update_id"
                + " IN ("
                + ids
                + ") AND NOT EXISTS (SELECT 1 FROM jvm_update u WHERE u.host_id = a.host_id AND"
                + " u.jvm_key = a.jvm_key AND u.update_id IN ("
                + ids
                + "))")) {
      int i = 1;
      for (String id : updates) {
        query.setString(i++, id);
      }
      for (String id : updates) {
        query.setString(i++, id);
      }
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return new CveCount(cve, rows.getInt(1), rows.getInt(2));
      }
    }
  }

  private static int count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      return count(query);
    }
  }

  private static int count(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /**
   * Every JVM that loaded {@code groupId:artifactId}, with the published updates for its release
   * that are in force in it and those that are missing.
   *
   * @param artifact {@code groupId:artifactId}
   */
  public ExposureReport exposure(String artifact) {
    int colon = artifact.indexOf(':');
    if (colon <= 0 || colon == artifact.length() - 1 || artifact.indexOf(':', colon + 1) >= 0) {
      throw ApiException.badRequest(
          "name the library as groupId:artifactId, e.g. org.apache.commons:commons-text; got \""
              + artifact
              + "\"");
    }
    String groupId = artifact.substring(0, colon);
    String artifactId = artifact.substring(colon + 1);
    return db.read(
        connection -> {
          List<JvmExposure> out = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT h.name, j.host_id, j.jvm_key, j.pid, j.main_class, a.version,"
                      + " a.effective_version FROM jvm_artifact a JOIN jvm j ON j.host_id ="
                      + " a.host_id AND j.jvm_key = a.jvm_key JOIN host h ON h.id = j.host_id"
                      + " WHERE a.group_id = ? AND a.artifact_id = ? ORDER BY h.name, j.pid")) {
            query.setString(1, groupId);
            query.setString(2, artifactId);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String hostId = rows.getString(2);
                String key = rows.getString(3);
                String version = rows.getString(6);
                List<String> patchedBy = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                updatesFor(
                    connection, groupId, artifactId, version, hostId, key, patchedBy, missing);
                out.add(
                    new JvmExposure(
                        rows.getString(1),
                        key,
                        rows.getLong(4),
                        rows.getString(5),
                        version,
                        rows.getString(7),
                        patchedBy,
                        missing));
              }
            }
          }
          return new ExposureReport(groupId, artifactId, out);
        });
  }

  /** Sorts the published updates targeting the JVM's release into in force and missing. */
  private static void updatesFor(
      Connection connection,
      String groupId,
      String artifactId,
      String version,
      String hostId,
      String key,
      List<String> patchedBy,
      List<String> missing)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT p.id, t.from_version, (SELECT COUNT(*) FROM jvm_update u WHERE u.host_id = ?"
                + " AND u.jvm_key = ? AND u.update_id = p.id) FROM published_update p JOIN"
                + " update_target t ON t.update_id = p.id WHERE t.group_id = ? AND t.artifact_id"
                + " = ? ORDER BY p.seq")) {
      query.setString(1, hostId);
      query.setString(2, key);
      query.setString(3, groupId);
      query.setString(4, artifactId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          boolean inForce = rows.getInt(3) > 0;
          if (inForce) {
            patchedBy.add(rows.getString(1));
          } else if (version != null && version.equals(rows.getString(2))) {
            missing.add(rows.getString(1));
          }
        }
      }
    }
  }
}
