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
