package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the daemons reported doing, in the order the server stored it. */
public final class Events {
  private static final String COLUMNS =
      "seq, host_name, at, kind, jvm_key, pid, update_id, cause, message";
  private static final int RECENT = 20;

  private final Database db;

  public Events(Database db) {
    this.db = db;
  }

  /** Events with a sequence number above {@code after}, oldest first, at most {@code limit}. */
  public EventPage page(long after, int limit) {
    return db.read(
        connection -> {
          List<FleetEvent> events = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM host_event WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
            query.setLong(1, after);
            query.setInt(2, limit);
            read(query, events);
          }
          long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
          return new EventPage(events, next);
        });
  }

  /** A host's newest events, newest first. */
  List<FleetEvent> recent(Connection connection, String hostId) throws SQLException {
    List<FleetEvent> events = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM host_event WHERE host_id = ? ORDER BY seq DESC FETCH FIRST "
                + RECENT
                + " ROWS ONLY")) {
      query.setString(1, hostId);
      read(query, events);
    }
    return events;
  }

  /** The newest events of {@code kind}, newest first, at most {@code limit}. */
  public static List<FleetEvent> recent(Connection connection, EventKind kind, int limit)
      throws SQLException {
    List<FleetEvent> events = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM host_event WHERE kind = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY")) {
      query.setString(1, kind.name());
      query.setInt(2, limit);
      read(query, events);
    }
    return events;
  }

  private static void read(PreparedStatement query, List<FleetEvent> into) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        into.add(
            new FleetEvent(
                rows.getLong("seq"),
                rows.getString("host_name"),
                Sql.instant(rows, "at"),
                EventKind.valueOf(rows.getString("kind")),
                rows.getString("jvm_key"),
                rows.getLong("pid"),
                rows.getString("update_id"),
                rows.getString("cause"),
                rows.getString("message")));
      }
    }
  }
}
