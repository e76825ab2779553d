package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.FleetEvent;
import io.jsplice.fleet.api.ForwardedEvent;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    return page(after, limit, null, null);
  }

  /**
   * Like {@link #page(long, int)}, only the events of host {@code host} (by name: a removed host's
   * events stay) and of update {@code update}, when given: an update's history on a host. An
   * unknown host (never enrolled under that name and with no events) or update is a 404, so that a
   * misspelt name is not read as "nothing happened".
   */
  public EventPage page(long after, int limit, String host, String update) {
    return db.read(
        connection -> {
          if (host != null && !hostKnown(connection, host)) {
            throw Hosts.noSuchHost(host);
          }
          if (update != null) {
            Updates.get(connection, update);
          }
          List<FleetEvent> events = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM host_event WHERE seq > ?"
                      + (host == null ? "" : " AND host_name = ?")
                      + (update == null ? "" : " AND update_id = ?")
                      + " ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
            int i = 1;
            query.setLong(i++, after);
            if (host != null) {
              query.setString(i++, host);
            }
            if (update != null) {
              query.setString(i++, update);
            }
            query.setInt(i, limit);
            read(query, events);
          }
          long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
          return new EventPage(events, next);
        });
  }

  private static boolean hostKnown(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM host WHERE name = ? UNION ALL SELECT 1 FROM host_event WHERE host_name"
                + " = ? FETCH FIRST 1 ROWS ONLY")) {
      query.setString(1, name);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * {@code events} as a webhook forwards them: each with its host's group, its update's CVEs and
   * its JVM's main class, as the database has them now (one read).
   */
  public List<ForwardedEvent> forwarded(List<FleetEvent> events) {
    return db.read(
        connection -> {
          Map<String, String> groups = new HashMap<>();
          Map<String, List<String>> cves = new HashMap<>();
          Map<String, String> mainClasses = new HashMap<>();
          List<ForwardedEvent> out = new ArrayList<>();
          for (FleetEvent e : events) {
            if (!groups.containsKey(e.host())) {
              groups.put(e.host(), group(connection, e.host()));
            }
            List<String> updateCves = List.of();
            if (e.updateId() != null) {
              updateCves = cves.get(e.updateId());
              if (updateCves == null) {
                updateCves = cves(connection, e.updateId());
                cves.put(e.updateId(), updateCves);
              }
            }
            String mainClass = null;
            if (e.jvmKey() != null) {
              String key = e.host() + '\n' + e.jvmKey();
              if (!mainClasses.containsKey(key)) {
                mainClasses.put(key, mainClass(connection, e.host(), e.jvmKey()));
              }
              mainClass = mainClasses.get(key);
            }
            out.add(
                new ForwardedEvent(
                    e.seq(),
                    e.kind(),
                    e.at(),
                    e.host(),
                    groups.get(e.host()),
                    e.jvmKey(),
                    e.pid(),
                    mainClass,
                    e.updateId(),
                    updateCves,
                    e.cause(),
                    e.message()));
          }
          return out;
        });
  }

  private static String group(Connection connection, String host) throws SQLException {
    return Sql.firstString(connection, "SELECT group_name FROM host WHERE name = ?", host);
  }

  private static List<String> cves(Connection connection, String updateId) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT cves FROM published_update WHERE id = ?")) {
      query.setString(1, updateId);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next() || rows.getString(1) == null || rows.getString(1).isBlank()) {
          return List.of();
        }
        return List.of(rows.getString(1).split("\n"));
      }
    }
  }

  private static String mainClass(Connection connection, String host, String jvmKey)
      throws SQLException {
    return Sql.firstString(
        connection,
        "SELECT j.main_class FROM jvm j JOIN host h ON h.id = j.host_id WHERE h.name = ? AND"
            + " j.jvm_key = ?",
        host,
        jvmKey);
  }

  /**
   * The events among {@code seqs} that exist, oldest first: an event whose report committed after a
   * later one's (see {@link io.jsplice.fleet.server.events.EventForwarder}).
   */
  public List<FleetEvent> bySeq(java.util.Collection<Long> seqs) {
    if (seqs.isEmpty()) {
      return List.of();
    }
    return db.read(
        connection -> {
          List<FleetEvent> events = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM host_event WHERE seq IN ("
                      + String.join(", ", java.util.Collections.nCopies(seqs.size(), "?"))
                      + ") ORDER BY seq")) {
            int i = 1;
            for (long seq : seqs) {
              query.setLong(i++, seq);
            }
            read(query, events);
          }
          return events;
        });
  }

  /** The sequence number of the newest event; 0 when there is none. */
  public long lastSeq() {
    return db.read(
        connection -> {
          try (PreparedStatement query =
                  connection.prepareStatement("SELECT MAX(seq) FROM host_event");
              ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0L;
          }
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
