package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.FleetOverview;
import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateJvm;
import io.jsplice.fleet.api.UpdateJvmState;
import io.jsplice.fleet.api.UpdateJvms;
import io.jsplice.fleet.api.UpdateTarget;
import io.jsplice.fleet.server.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the dashboard asks of the whole fleet and of one update, beyond the CLI's questions. */
public final class Overview {
  /** How many of the newest tripwire events the overview carries. */
  static final int RECENT_TRIPWIRES = 20;

  /** A JVM running an update whose own analysis says its fix is only partly in force. */
  static final String PARTLY_IN_FORCE =
      "EXISTS (SELECT 1 FROM jvm_update u JOIN update_verdict v ON v.update_id = u.update_id"
          + " WHERE u.host_id = j.host_id AND u.jvm_key = j.jvm_key AND v.in_force = '"
          + UpdateDescriptors.PARTLY
          + "')";

  private final Database db;

  public Overview(Database db) {
    this.db = db;
  }

  /** The overview, around {@code status} (computed by the caller, as the metrics cache it). */
  public FleetOverview overview(FleetStatus status) {
    return db.read(
        connection ->
            new FleetOverview(
                status,
                count(connection, "SELECT COUNT(*) FROM jvm j WHERE " + PARTLY_IN_FORCE),
                count(connection, "SELECT COUNT(*) FROM jvm j WHERE j.verify = 'WOULD_LOSE_FIX'"),
                count(connection, "SELECT COUNT(*) FROM host_event WHERE kind = 'TRIPWIRE'"),
                Events.recent(connection, EventKind.TRIPWIRE, RECENT_TRIPWIRES)));
  }

  private static int count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql);
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /**
   * Every JVM that runs update {@code id} or loaded the release it targets, with where the update
   * stands in it.
   *
   * @throws io.jsplice.fleet.server.ApiException {@code NOT_FOUND}
   */
  public UpdateJvms jvms(String id) {
    return db.read(
        connection -> {
          PublishedUpdate update = Updates.get(connection, id);
          Set<String> inForce = inForce(connection, id);
          Map<String, String[]> failures = failures(connection, id);
          Map<String, UpdateJvm> out = new LinkedHashMap<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT h.name, h.group_name, h.ring, j.host_id, j.jvm_key, j.pid, j.main_class,"
                      + " a.group_id, a.artifact_id, a.version FROM jvm j JOIN host h ON h.id ="
                      + " j.host_id JOIN jvm_artifact a ON a.host_id = j.host_id AND a.jvm_key ="
                      + " j.jvm_key JOIN update_target t ON t.group_id = a.group_id AND"
                      + " t.artifact_id = a.artifact_id WHERE t.update_id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String jvm = rows.getString("host_id") + "/" + rows.getString("jvm_key");
                String version = rows.getString("version");
                boolean running = inForce.contains(jvm);
                boolean targeted =
                    targets(
                        update, rows.getString("group_id"), rows.getString("artifact_id"), version);
                if (running || targeted) {
                  UpdateJvmState state =
                      running
                          ? UpdateJvmState.IN_FORCE
                          : failures.containsKey(jvm)
                              ? UpdateJvmState.FAILED
                              : UpdateJvmState.MISSING;
                  out.putIfAbsent(jvm, jvm(rows, version, state, failures.get(jvm)));
                }
              }
            }
          }
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT h.name, h.group_name, h.ring, j.host_id, j.jvm_key, j.pid, j.main_class"
                      + " FROM jvm_update u JOIN jvm j ON j.host_id = u.host_id AND j.jvm_key ="
                      + " u.jvm_key JOIN host h ON h.id = j.host_id WHERE u.update_id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                String jvm = rows.getString("host_id") + "/" + rows.getString("jvm_key");
                out.putIfAbsent(jvm, jvm(rows, null, UpdateJvmState.IN_FORCE, null));
              }
            }
          }
          List<UpdateJvm> sorted = new ArrayList<>(out.values());
          sorted.sort(
              java.util.Comparator.comparing(UpdateJvm::host)
                  .thenComparingLong(UpdateJvm::pid)
                  .thenComparing(UpdateJvm::jvmKey));
          return new UpdateJvms(id, sorted);
        });
  }

  private static UpdateJvm jvm(
      ResultSet rows, String version, UpdateJvmState state, String[] failure) throws SQLException {
    boolean failed = state == UpdateJvmState.FAILED && failure != null;
    return new UpdateJvm(
        rows.getString("name"),
        rows.getString("group_name"),
        rows.getString("ring"),
        rows.getString("jvm_key"),
        rows.getLong("pid"),
        rows.getString("main_class"),
        version,
        state,
        failed ? failure[0] : null,
        failed ? failure[1] : null);
  }

  private static boolean targets(
      PublishedUpdate update, String groupId, String artifactId, String version) {
    if (artifactId == null) {
      return false;
    }
    for (UpdateTarget target : update.targets()) {
      if (target.matches(
          new io.jsplice.fleet.api.LoadedArtifact(groupId, artifactId, version, null, null))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> inForce(Connection connection, String id) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT host_id, jvm_key FROM jvm_update WHERE update_id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          out.add(rows.getString(1) + "/" + rows.getString(2));
        }
      }
    }
    return out;
  }

  /** The last failure reported per JVM, as "CAUSE: message" and the cause alone. */
  private static Map<String, String[]> failures(Connection connection, String id)
      throws SQLException {
    Map<String, String[]> out = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT host_id, jvm_key, cause, message FROM host_event WHERE update_id = ? AND kind"
                + " = 'APPLY_FAILED' AND jvm_key IS NOT NULL ORDER BY seq")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String cause = rows.getString(3);
          String message = rows.getString(4);
          out.put(
              rows.getString(1) + "/" + rows.getString(2),
              new String[] {
                (cause == null ? "" : cause + ": ") + (message == null ? "" : message), cause
              });
        }
      }
    }
    return out;
  }
}
