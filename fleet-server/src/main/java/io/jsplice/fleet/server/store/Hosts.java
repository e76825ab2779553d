package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EnrolmentReceipt;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.HostDetail;
import io.jsplice.fleet.api.HostList;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.HostSummary;
import io.jsplice.fleet.api.ReportList;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The enrolled hosts: enrolment, authentication by secret, and the admin's changes to them. Every
 * change that alters what a host's update list would say bumps the host's revision in the same
 * transaction.
 */
public final class Hosts {
  static final int NAME_MAX = 128;
  private static final String SUMMARY_COLUMNS =
      "h.id, h.name, h.state, h.reason, h.group_name, h.ring, h.hostname, h.machine_id,"
          + " h.enrolled_at, h.last_seen, h.last_report,"
          + " (SELECT COUNT(*) FROM jvm j WHERE j.host_id = h.id) AS jvms,"
          + " (SELECT COUNT(*) FROM jvm j WHERE j.host_id = h.id AND "
          + JvmConditions.PATCHED
          + ") AS patched,"
          + " (SELECT COUNT(*) FROM jvm j WHERE j.host_id = h.id AND "
          + JvmConditions.VULNERABLE
          + ") AS vulnerable";

  private final Database db;
  private final Inventory inventory;
  private final Events events;

  public Hosts(Database db, Inventory inventory, Events events) {
    this.db = db;
    this.inventory = inventory;
    this.events = events;
  }

  /** The host whose secret this is, with the current fleet revision; empty if none. */
  public Optional<HostIdentity> authenticate(Connection connection, String secret)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT h.id, h.name, h.state, h.reason, h.group_name, h.revision, f.revision"
                + " FROM host h, fleet_state f WHERE h.secret_hash = ? AND f.id = 1")) {
      query.setString(1, Secrets.hash(secret));
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new HostIdentity(
                rows.getString(1),
                rows.getString(2),
                HostState.valueOf(rows.getString(3)),
                rows.getString(4),
                rows.getString(5),
                rows.getLong(6),
                rows.getLong(7)));
      }
    }
  }

  /** Whether {@code secret} belongs to some enrolled host. */
  public boolean isHostSecret(Connection connection, String secret) throws SQLException {
    return authenticate(connection, secret).isPresent();
  }

  /**
   * Enrols a host with a new secret.
   *
   * @param initial {@link HostState#ACTIVE} or {@link HostState#PENDING}, the server's policy
   * @throws ApiException {@code CONFLICT} when the name is taken; {@code BAD_REQUEST} for a bad
   *     name or an unknown group
   */
  public EnrolmentReceipt enrol(
      Enrolment request, HostState initial, int pollSeconds, AuditLog.Actor actor) {
    String name = Names.check("host name", request.name(), NAME_MAX);
    String group = request.group() == null ? Groups.DEFAULT : request.group();
    Names.check("group name", group, Groups.NAME_MAX);
    String id = UUID.randomUUID().toString();
    String secret = Secrets.generate(Secrets.HOST_PREFIX);
    try {
      db.transaction(
          connection -> {
            if (!Groups.exists(connection, group)) {
              throw ApiException.badRequest(
                  "there is no group \"" + group + "\"; an admin creates it first");
            }
            refuseADeactivatedMachine(connection, request.machineId());
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO host (id, name, secret_hash, state, group_name, hostname,"
                        + " machine_id, enrolled_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " 1)")) {
              insert.setString(1, id);
              insert.setString(2, name);
              insert.setString(3, Secrets.hash(secret));
              insert.setString(4, initial.name());
              insert.setString(5, group);
              insert.setString(6, Sql.clip(request.hostname(), 255));
              insert.setString(7, Sql.clip(request.machineId(), 128));
              Sql.setInstant(insert, 8, Instant.now());
              insert.executeUpdate();
            }
            AuditLog.append(
                connection,
                actor,
                "host.enrol",
                name,
                "state " + initial + ", group " + group + ", machine " + request.machineId());
            return null;
          });
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql)) {
        throw ApiException.conflict(
            "a host named \""
                + name
                + "\" is enrolled already; an admin removes it first (jsplice host remove "
                + name
                + "), or enrol under another --name");
      }
      throw e;
    }
    return new EnrolmentReceipt(id, name, secret, initial, group, pollSeconds);
  }

  /**
   * Deactivation must outlast the host's secret: a machine whose host an admin deactivated enrols
   * no second host, under any name, until that host is activated or removed. A machine is what its
   * daemon reports ({@code /etc/machine-id}): that stops a daemon reinstalled or given a new name
   * or state directory, not a caller who reports another id; against that, the admin rotates the
   * enrolment key.
   */
  private static void refuseADeactivatedMachine(Connection connection, String machineId)
      throws SQLException {
    if (machineId == null || machineId.isBlank()) {
      return;
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name, reason FROM host WHERE machine_id = ? AND state = ? ORDER BY name")) {
      query.setString(1, Sql.clip(machineId, 128));
      query.setString(2, HostState.DEACTIVATED.name());
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          String reason = rows.getString(2);
          throw new ApiException(
              ErrorCode.HOST_DEACTIVATED,
              "this machine ("
                  + machineId
                  + ") is host "
                  + rows.getString(1)
                  + ", which is deactivated"
                  + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")
                  + "; it enrols again only after an admin activates or removes that host");
        }
      }
    }
  }

  public HostList list() {
    return db.read(
        connection -> {
          List<HostSummary> hosts = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT " + SUMMARY_COLUMNS + " FROM host h ORDER BY h.name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              hosts.add(summary(rows));
            }
          }
          return new HostList(hosts);
        });
  }

  /**
   * @throws ApiException {@code NOT_FOUND}
   */
  public HostSummary summary(String name) {
    return db.read(connection -> summary(connection, name));
  }

  public HostSummary summaryById(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM host h WHERE h.id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw ApiException.notFound("the host was removed");
        }
        return summary(rows);
      }
    }
  }

  static HostSummary summary(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT " + SUMMARY_COLUMNS + " FROM host h WHERE h.name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw noSuchHost(name);
        }
        return summary(rows);
      }
    }
  }

  static ApiException noSuchHost(String name) {
    return ApiException.notFound(
        "there is no host named \"" + name + "\"; `jsplice hosts` lists the enrolled hosts");
  }

  private static HostSummary summary(ResultSet rows) throws SQLException {
    return new HostSummary(
        rows.getString("id"),
        rows.getString("name"),
        HostState.valueOf(rows.getString("state")),
        rows.getString("reason"),
        rows.getString("group_name"),
        rows.getString("ring"),
        rows.getString("hostname"),
        rows.getString("machine_id"),
        Sql.instant(rows, "enrolled_at"),
        Sql.instant(rows, "last_seen"),
        Sql.instant(rows, "last_report"),
        rows.getInt("jvms"),
        rows.getInt("patched"),
        rows.getInt("vulnerable"));
  }

  /** The host, its JVMs and its latest events. */
  public HostDetail detail(String name) {
    return db.read(
        connection -> {
          HostSummary host = summary(connection, name);
          return new HostDetail(
              host, inventory.jvms(connection, host.id()), events.recent(connection, host.id()));
        });
  }

  /**
   * Sets a host's state, recording the action in the audit log.
   *
   * @param reason why (for a deactivation); may be null
   */
  public HostSummary changeState(
      String name, HostState state, String reason, AuditLog.Actor actor) {
    return db.transaction(
        connection -> {
          String id = idOf(connection, name);
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE host SET state = ?, reason = ?, revision = revision + 1 WHERE id = ?")) {
            update.setString(1, state.name());
            update.setString(2, state == HostState.DEACTIVATED ? Sql.clip(reason, 500) : null);
            update.setString(3, id);
            update.executeUpdate();
          }
          String action = state == HostState.DEACTIVATED ? "host.deactivate" : "host.activate";
          AuditLog.append(connection, actor, action, name, reason);
          return summaryById(connection, id);
        });
  }

  /** Removes a host, its JVMs and reports; its events stay in the history under its name. */
  public void remove(String name, AuditLog.Actor actor) {
    db.transaction(
        connection -> {
          String id = idOf(connection, name);
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM host WHERE id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
          }
          AuditLog.append(connection, actor, "host.remove", name, null);
          return null;
        });
  }

  public HostSummary moveToGroup(String name, String group, AuditLog.Actor actor) {
    Names.check("group name", group, Groups.NAME_MAX);
    return db.transaction(
        connection -> {
          String id = idOf(connection, name);
          if (!Groups.exists(connection, group)) {
            throw ApiException.notFound(
                "there is no group \"" + group + "\"; create it with PUT /api/v1/groups/" + group);
          }
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE host SET group_name = ?, revision = revision + 1 WHERE id = ?")) {
            update.setString(1, group);
            update.setString(2, id);
            update.executeUpdate();
          }
          AuditLog.append(connection, actor, "host.group", name, group);
          return summaryById(connection, id);
        });
  }

  /**
   * @param ring null clears it
   */
  public HostSummary setRing(String name, String ring, AuditLog.Actor actor) {
    if (ring != null) {
      Names.check("ring", ring, 64);
    }
    return db.transaction(
        connection -> {
          String id = idOf(connection, name);
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE host SET ring = ?, revision = revision + 1 WHERE id = ?")) {
            update.setString(1, ring);
            update.setString(2, id);
            update.executeUpdate();
          }
          AuditLog.append(connection, actor, "host.ring", name, ring);
          return summaryById(connection, id);
        });
  }

  /** The latest reports of a host, newest first, at most {@code limit}. */
  public ReportList reports(String name, int limit) {
    return db.read(
        connection -> {
          String id = idOf(connection, name);
          List<ReportList.Entry> entries = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, received_at, jvms FROM host_report WHERE host_id = ?"
                      + " ORDER BY received_at DESC, id FETCH FIRST ? ROWS ONLY")) {
            query.setString(1, id);
            query.setInt(2, limit);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                entries.add(
                    new ReportList.Entry(
                        rows.getString(1), Sql.instant(rows, "received_at"), rows.getInt(3)));
              }
            }
          }
          return new ReportList(entries);
        });
  }

  /** The id of the host named {@code name}, locking its row until the transaction ends. */
  private static String idOf(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT id FROM host WHERE name = ? FOR UPDATE")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw noSuchHost(name);
        }
        return rows.getString(1);
      }
    }
  }
}
