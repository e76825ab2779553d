package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.ApplyPolicy;
import io.jsplice.fleet.api.Group;
import io.jsplice.fleet.api.GroupList;
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

/**
 * Groups of hosts and their apply policy. There is always a group {@value #DEFAULT} (created by the
 * first migration, {@link ApplyPolicy#AUTOMATIC}), which new hosts join unless they ask for
 * another.
 */
public final class Groups {
  public static final String DEFAULT = "default";
  static final int NAME_MAX = 64;

  private final Database db;

  public Groups(Database db) {
    this.db = db;
  }

  public GroupList list() {
    return db.read(
        connection -> {
          List<Group> groups = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT g.name, g.policy, (SELECT COUNT(*) FROM host h WHERE h.group_name ="
                          + " g.name), g.accept_left_out FROM host_group g ORDER BY g.name");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              groups.add(group(rows));
            }
          }
          return new GroupList(groups);
        });
  }

  /**
   * Creates the group or changes its policy. Every host's update list may change with it (what is
   * approved, whether updates that leave out classes are accepted), so the fleet revision is
   * bumped.
   *
   * @param acceptLeftOut {@link Group#acceptLeftOut}; null keeps the group's (off for a new group)
   */
  public Group put(String name, ApplyPolicy policy, Boolean acceptLeftOut, AuditLog.Actor actor) {
    Names.check("group name", name, NAME_MAX);
    if (policy == null) {
      throw ApiException.badRequest("the group's policy is missing: AUTOMATIC or APPROVAL");
    }
    return db.transaction(
        connection -> {
          boolean exists = exists(connection, name);
          boolean leftOut =
              acceptLeftOut != null
                  ? acceptLeftOut
                  : exists && get(connection, name).acceptLeftOut();
          String sql =
              exists
                  ? "UPDATE host_group SET policy = ?, accept_left_out = ? WHERE name = ?"
                  : "INSERT INTO host_group (policy, accept_left_out, name, created_at) VALUES"
                      + " (?, ?, ?, ?)";
          try (PreparedStatement write = connection.prepareStatement(sql)) {
            write.setString(1, policy.name());
            write.setBoolean(2, leftOut);
            write.setString(3, name);
            if (!exists) {
              Sql.setInstant(write, 4, Instant.now());
            }
            write.executeUpdate();
          }
          FleetRevision.bump(connection);
          AuditLog.append(
              connection,
              actor,
              exists ? "group.policy" : "group.create",
              name,
              policy.name() + (leftOut ? ", accepts updates that leave out classes" : ""));
          return get(connection, name);
        });
  }

  static boolean exists(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM host_group WHERE name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  static Group get(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT g.name, g.policy, (SELECT COUNT(*) FROM host h WHERE h.group_name = g.name),"
                + " g.accept_left_out FROM host_group g WHERE g.name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw ApiException.notFound("there is no group \"" + name + "\"");
        }
        return group(rows);
      }
    }
  }

  /** A row of name, policy, host count, accept_left_out. */
  private static Group group(ResultSet rows) throws SQLException {
    return new Group(
        rows.getString(1),
        ApplyPolicy.valueOf(rows.getString(2)),
        rows.getInt(3),
        rows.getBoolean(4));
  }
}
