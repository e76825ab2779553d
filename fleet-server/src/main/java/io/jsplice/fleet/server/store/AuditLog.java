package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.AuditEntry;
import io.jsplice.fleet.api.AuditPage;
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
 * Every admin action, appended in the transaction that performs it: an action is in the log if and
 * only if it took effect.
 */
public final class AuditLog {
  private final Database db;

  public AuditLog(Database db) {
    this.db = db;
  }

  /**
   * Who did what to what, and from where.
   *
   * @param actor the admin's name
   * @param remote the client's address; may be null
   */
  public record Actor(String actor, String remote) {}

  /** Appends an entry on {@code connection}, inside the caller's transaction. */
  public static void append(
      Connection connection, Actor actor, String action, String target, String detail)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit (at, actor, action, target, detail, remote) VALUES (?, ?, ?, ?, ?,"
                + " ?)")) {
      Sql.setInstant(insert, 1, Instant.now());
      insert.setString(2, Sql.clip(actor.actor(), 64));
      insert.setString(3, action);
      insert.setString(4, Sql.clip(target, 255));
      insert.setString(5, Sql.clip(detail, 2000));
      insert.setString(6, Sql.clip(actor.remote(), 100));
      insert.executeUpdate();
    }
  }

  /** Entries with a sequence number above {@code after}, oldest first, at most {@code limit}. */
  public AuditPage page(long after, int limit) {
    return db.read(
        connection -> {
          List<AuditEntry> entries = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT seq, at, actor, action, target, detail, remote FROM audit WHERE seq > ?"
                      + " ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
            query.setLong(1, after);
            query.setInt(2, limit);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                entries.add(
                    new AuditEntry(
                        rows.getLong("seq"),
                        Sql.instant(rows, "at"),
                        rows.getString("actor"),
                        rows.getString("action"),
                        rows.getString("target"),
                        rows.getString("detail"),
                        rows.getString("remote")));
              }
            }
          }
          long next = entries.isEmpty() ? after : entries.get(entries.size() - 1).seq();
          return new AuditPage(entries, next);
        });
  }
}
