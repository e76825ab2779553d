package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.HostEvent;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.ReportReceipt;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each host's JVMs run, from their daemons' reports. A report is stored in one transaction
 * (its receipt, the host's JVMs replaced, its events added), so the acknowledgement the daemon gets
 * means all of it is committed, and a report resent after a lost answer changes nothing.
 */
public final class Inventory {
  private final Database db;

  public Inventory(Database db) {
    this.db = db;
  }

  /**
   * Stores {@code report} from {@code host}.
   *
   * @throws ApiException {@code BAD_REQUEST} for a report without an id or with a malformed JVM;
   *     {@code CONFLICT} when another host sent a report with this id
   */
  public ReportReceipt store(HostIdentity host, HostReport report) {
    validate(report);
    Instant now = Instant.now();
    try {
      return db.transaction(
          connection -> {
            String sender = reportSender(connection, report.id());
            if (sender != null) {
              return duplicate(host, report, sender);
            }
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO host_report (id, host_id, received_at, jvms) VALUES (?, ?, ?, ?)")) {
              insert.setString(1, report.id());
              insert.setString(2, host.id());
              Sql.setInstant(insert, 3, now);
              insert.setInt(4, report.jvms().size());
              insert.executeUpdate();
            }
            replaceJvms(connection, host, report, now);
            addEvents(connection, host, report.events(), now);
            Rollouts.onEvents(connection, host, report.events());
            return new ReportReceipt(report.id(), false);
          });
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql)) {
        // The same report, sent twice at once: the other copy was committed first.
        String sender = db.read(connection -> reportSender(connection, report.id()));
        if (sender != null) {
          return duplicate(host, report, sender);
        }
      }
      throw e;
    }
  }

  private static ReportReceipt duplicate(HostIdentity host, HostReport report, String sender) {
    if (!sender.equals(host.id())) {
      throw ApiException.conflict(
          "report id " + report.id() + " was used by another host; send each report with a new id");
    }
    return new ReportReceipt(report.id(), true);
  }

  private static String reportSender(Connection connection, String id) throws SQLException {
    return Sql.firstString(connection, "SELECT host_id FROM host_report WHERE id = ?", id);
  }

  private static void validate(HostReport report) {
    if (report.id() == null || report.id().isBlank() || report.id().length() > 64) {
      throw ApiException.badRequest("the report needs an id of 1 to 64 characters (a UUID)");
    }
    for (JvmInventory jvm : report.jvms()) {
      if (jvm.key() == null || jvm.key().isBlank() || jvm.key().length() > 64) {
        throw ApiException.badRequest(
            "JVM " + jvm.pid() + " in report " + report.id() + " has no valid key (1 to 64 chars)");
      }
      for (LoadedArtifact artifact : jvm.artifacts()) {
        if (artifact.artifactId() == null || artifact.artifactId().isBlank()) {
          throw ApiException.badRequest(
              "JVM " + jvm.key() + " lists a loaded library without an artifactId");
        }
      }
      for (JvmUpdate update : jvm.updates()) {
        if (update.id() == null || update.id().isBlank()) {
          throw ApiException.badRequest("JVM " + jvm.key() + " lists an update without an id");
        }
      }
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (JvmInventory jvm : report.jvms()) {
      if (!keys.add(jvm.key())) {
        throw ApiException.badRequest(
            "report " + report.id() + " lists JVM " + jvm.key() + " twice");
      }
    }
    for (HostEvent event : report.events()) {
      if (event.id() == null || event.id().isBlank() || event.id().length() > 64) {
        throw ApiException.badRequest("an event of report " + report.id() + " has no valid id");
      }
      if (event.kind() == null || event.at() == null) {
        throw ApiException.badRequest(
            "event " + event.id() + " of report " + report.id() + " needs a kind and a time");
      }
    }
  }

  private void replaceJvms(Connection connection, HostIdentity host, HostReport report, Instant now)
      throws SQLException {
    String inventoryHash = Secrets.sha256(canonical(report.jvms()));
    String artifactsHash = Secrets.sha256(releases(report.jvms()));
    String storedInventory = null;
    String storedArtifacts = null;
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT inventory_hash, artifacts_hash FROM host WHERE id = ? FOR UPDATE")) {
      query.setString(1, host.id());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new ApiException(
              io.jsplice.fleet.api.ErrorCode.UNAUTHENTICATED,
              "host " + host.name() + " was removed; enrol it again");
        }
        storedInventory = rows.getString(1);
        storedArtifacts = rows.getString(2);
      }
    }
    if (!inventoryHash.equals(storedInventory)) {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM jvm WHERE host_id = ?")) {
        delete.setString(1, host.id());
        delete.executeUpdate();
      }
      insertJvms(connection, host.id(), report.jvms());
    }
    boolean releasesChanged = !artifactsHash.equals(storedArtifacts);
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE host SET last_report = ?, last_seen = ?, inventory_hash = ?,"
                + " artifacts_hash = ?, revision = revision + ? WHERE id = ?")) {
      Sql.setInstant(update, 1, now);
      Sql.setInstant(update, 2, now);
      update.setString(3, inventoryHash);
      update.setString(4, artifactsHash);
      update.setInt(5, releasesChanged ? 1 : 0);
      update.setString(6, host.id());
      update.executeUpdate();
    }
  }

  /** A stable serialization of what the report says about the JVMs. */
  private static byte[] canonical(List<JvmInventory> jvms) {
    StringBuilder out = new StringBuilder();
    jvms.stream()
        .sorted(java.util.Comparator.comparing(JvmInventory::key))
        .forEach(jvm -> out.append(jvm).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The distinct releases the JVMs loaded: all a host's update list depends on. */
  private static byte[] releases(List<JvmInventory> jvms) {
    TreeSet<String> releases = new TreeSet<>();
    for (JvmInventory jvm : jvms) {
      for (LoadedArtifact artifact : jvm.artifacts()) {
        releases.add(artifact.coordinates());
      }
    }
    return String.join("\n", releases).getBytes(StandardCharsets.UTF_8);
  }

  private static void insertJvms(Connection connection, String hostId, List<JvmInventory> jvms)
      throws SQLException {
    try (PreparedStatement jvmRow =
            connection.prepareStatement(
                "INSERT INTO jvm (host_id, jvm_key, pid, main_class, command_line, jdk_version,"
                    + " started_at, agent, service, stale, verify) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?)");
        PreparedStatement artifactRow =
            connection.prepareStatement(
                "INSERT INTO jvm_artifact (host_id, jvm_key, group_id, artifact_id, version,"
                    + " effective_version, source) VALUES (?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement updateRow =
            connection.prepareStatement(
                "INSERT INTO jvm_update (host_id, jvm_key, update_id, applied_at, applied_by,"
                    + " reapplied) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (JvmInventory jvm : jvms) {
        jvmRow.setString(1, hostId);
        jvmRow.setString(2, jvm.key());
        jvmRow.setLong(3, jvm.pid());
        jvmRow.setString(4, Sql.clip(jvm.mainClass(), 1000));
        jvmRow.setString(5, Sql.clip(jvm.commandLine(), 4000));
        jvmRow.setString(6, Sql.clip(jvm.jdkVersion(), 100));
        Sql.setInstant(jvmRow, 7, jvm.startedAt());
        jvmRow.setBoolean(8, jvm.agent());
        jvmRow.setString(9, Sql.clip(jvm.service(), 255));
        jvmRow.setString(10, jvm.stale().name());
        jvmRow.setString(11, jvm.verify().name());
        jvmRow.addBatch();
        for (LoadedArtifact artifact : jvm.artifacts()) {
          artifactRow.setString(1, hostId);
          artifactRow.setString(2, jvm.key());
          artifactRow.setString(3, Sql.clip(artifact.groupId(), 255));
          artifactRow.setString(4, Sql.clip(artifact.artifactId(), 255));
          artifactRow.setString(5, Sql.clip(artifact.version(), 100));
          artifactRow.setString(6, Sql.clip(artifact.effectiveVersion(), 100));
          artifactRow.setString(7, Sql.clip(artifact.source(), 1000));
          artifactRow.addBatch();
        }
        for (JvmUpdate update : jvm.updates()) {
          updateRow.setString(1, hostId);
          updateRow.setString(2, jvm.key());
          updateRow.setString(3, Sql.clip(update.id(), 128));
          Sql.setInstant(updateRow, 4, update.appliedAt());
          updateRow.setString(5, Sql.clip(update.appliedBy(), 128));
          updateRow.setBoolean(6, update.reapplied());
          updateRow.addBatch();
        }
      }
      jvmRow.executeBatch();
      artifactRow.executeBatch();
      updateRow.executeBatch();
    }
  }

  private static void addEvents(
      Connection connection, HostIdentity host, List<HostEvent> events, Instant now)
      throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO host_event (id, host_id, host_name, at, kind, jvm_key, pid, update_id,"
                + " cause, message, received_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM"
                + " fleet_state WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM host_event WHERE id ="
                + " ?)")) {
      for (HostEvent event : events) {
        insert.setString(1, event.id());
        insert.setString(2, host.id());
        insert.setString(3, host.name());
        Sql.setInstant(insert, 4, event.at());
        insert.setString(5, event.kind().name());
        insert.setString(6, Sql.clip(event.jvmKey(), 64));
        insert.setLong(7, event.pid());
        insert.setString(8, Sql.clip(event.updateId(), 128));
        insert.setString(9, Sql.clip(event.cause(), 64));
        insert.setString(10, Sql.clip(event.message(), 2000));
        Sql.setInstant(insert, 11, now);
        insert.setString(12, event.id());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The JVMs of a host's latest report, by key, with their libraries and updates. */
  List<JvmInventory> jvms(Connection connection, String hostId) throws SQLException {
    Map<String, List<LoadedArtifact>> artifacts = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT jvm_key, group_id, artifact_id, version, effective_version, source"
                + " FROM jvm_artifact WHERE host_id = ? ORDER BY jvm_key, group_id, artifact_id")) {
      query.setString(1, hostId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          artifacts
              .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(
                  new LoadedArtifact(
                      rows.getString(2),
                      rows.getString(3),
                      rows.getString(4),
                      rows.getString(5),
                      rows.getString(6)));
        }
      }
    }
    Map<String, List<JvmUpdate>> updates = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT jvm_key, update_id, applied_at, applied_by, reapplied FROM jvm_update"
                + " WHERE host_id = ? ORDER BY jvm_key, applied_at")) {
      query.setString(1, hostId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          updates
              .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
              .add(
                  new JvmUpdate(
                      rows.getString(2),
                      Sql.instant(rows, "applied_at"),
                      rows.getString(4),
                      rows.getBoolean(5)));
        }
      }
    }
    List<JvmInventory> jvms = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT jvm_key, pid, main_class, command_line, jdk_version, started_at, agent,"
                + " service, stale, verify FROM jvm WHERE host_id = ? ORDER BY pid, jvm_key")) {
      query.setString(1, hostId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String key = rows.getString(1);
          jvms.add(
              new JvmInventory(
                  key,
                  rows.getLong(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  Sql.instant(rows, "started_at"),
                  rows.getBoolean(7),
                  rows.getString(8),
                  artifacts.getOrDefault(key, List.of()),
                  updates.getOrDefault(key, List.of()),
                  StaleVerdict.valueOf(rows.getString(9)),
                  RestartOutlook.valueOf(rows.getString(10))));
        }
      }
    }
    return jvms;
  }
}
