package io.jsplice.fleet.server.store;

import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedState;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the automatic feed built, one row per pair of releases (table {@code feed_candidate}). */
public final class FeedCandidates {
  private static final String COLUMNS =
      "id, group_id, artifact_id, from_version, to_version, state, verdict, in_force, cves,"
          + " tripwires, reason, sha256, created_at, changed_at";

  private final Database db;

  public FeedCandidates(Database db) {
    this.db = db;
  }

  /**
   * Claims a pair of releases for building.
   *
   * @return false when some server already has a row for the pair
   */
  public boolean claim(
      String id, String groupId, String artifactId, String from, String to, List<String> cves) {
    try {
      return db.transaction(
          connection -> {
            if (find(connection, groupId, artifactId, from, to).isPresent()
                || exists(connection, id)) {
              return false;
            }
            Instant now = Instant.now();
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO feed_candidate (id, group_id, artifact_id, from_version,"
                        + " to_version, state, cves, tripwires, created_at, changed_at) VALUES (?,"
                        + " ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
              insert.setString(1, id);
              insert.setString(2, groupId);
              insert.setString(3, artifactId);
              insert.setString(4, from);
              insert.setString(5, to);
              insert.setString(6, FeedState.BUILDING.name());
              insert.setString(7, Sql.clip(String.join("\n", cves), 4000));
              Sql.setInstant(insert, 8, now);
              Sql.setInstant(insert, 9, now);
              insert.executeUpdate();
            }
            return true;
          });
    } catch (RuntimeException e) {
      if (e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql)) {
        return false; // another server claimed it at the same moment
      }
      throw e;
    }
  }

  private static boolean exists(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM feed_candidate WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static Optional<String> find(
      Connection connection, String groupId, String artifactId, String from, String to)
      throws SQLException {
    try (PreparedStatement query =
        pairQuery(connection, "SELECT id FROM feed_candidate", groupId, artifactId, from, to)) {
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** {@code select} restricted to the rows of one release pair of one artifact. */
  private static PreparedStatement pairQuery(
      Connection connection,
      String select,
      String groupId,
      String artifactId,
      String from,
      String to)
      throws SQLException {
    PreparedStatement query =
        connection.prepareStatement(
            select
                + " WHERE group_id = ? AND artifact_id = ? AND from_version = ? AND to_version = ?");
    try {
      query.setString(1, groupId);
      query.setString(2, artifactId);
      query.setString(3, from);
      query.setString(4, to);
      return query;
    } catch (SQLException e) {
      query.close();
      throw e;
    }
  }

  /** Records what became of a candidate. */
  public void settle(
      String id,
      FeedState state,
      String verdict,
      String inForce,
      int tripwires,
      String reason,
      String sha256,
      byte[] content) {
    db.transaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE feed_candidate SET state = ?, verdict = ?, in_force = ?, tripwires = ?,"
                      + " reason = ?, sha256 = ?, content = ?, changed_at = ? WHERE id = ?")) {
            update.setString(1, state.name());
            update.setString(2, verdict);
            update.setString(3, inForce);
            update.setInt(4, tripwires);
            update.setString(5, Sql.clip(reason, 4000));
            update.setString(6, sha256);
            update.setBytes(7, content);
            Sql.setInstant(update, 8, Instant.now());
            update.setString(9, id);
            update.executeUpdate();
          }
          return null;
        });
  }

  /** Changes a candidate's state, in the caller's transaction, recording who did. */
  static void change(Connection connection, String id, FeedState state, String reason)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE feed_candidate SET state = ?, reason = ?, changed_at = ? WHERE id = ?")) {
      update.setString(1, state.name());
      update.setString(2, Sql.clip(reason, 4000));
      Sql.setInstant(update, 3, Instant.now());
      update.setString(4, id);
      update.executeUpdate();
    }
    if (state == FeedState.PUBLISHED || state == FeedState.DISMISSED) {
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE feed_candidate SET content = NULL WHERE id = ?")) {
        update.setString(1, id);
        update.executeUpdate();
      }
    }
  }

  public List<FeedCandidate> list() {
    return db.read(
        connection -> {
          List<FeedCandidate> out = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT " + COLUMNS + " FROM feed_candidate ORDER BY created_at DESC, id");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              out.add(candidate(rows));
            }
          }
          return out;
        });
  }

  /**
   * @throws ApiException {@code NOT_FOUND}
   */
  public FeedCandidate get(String id) {
    return db.read(connection -> get(connection, id));
  }

  static FeedCandidate get(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM feed_candidate WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw ApiException.notFound(
              "the feed built no update \"" + id + "\"; GET /api/v1/feed lists what it built");
        }
        return candidate(rows);
      }
    }
  }

  /** The signed file of a candidate waiting for review; empty once published or dismissed. */
  public Optional<byte[]> content(String id) {
    return db.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT content FROM feed_candidate WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                throw ApiException.notFound("the feed built no update \"" + id + "\"");
              }
              return Optional.ofNullable(rows.getBytes(1));
            }
          }
        });
  }

  private static FeedCandidate candidate(ResultSet rows) throws SQLException {
    String cves = rows.getString("cves");
    return new FeedCandidate(
        rows.getString("id"),
        rows.getString("group_id"),
        rows.getString("artifact_id"),
        rows.getString("from_version"),
        rows.getString("to_version"),
        FeedState.valueOf(rows.getString("state")),
        rows.getString("verdict"),
        rows.getString("in_force"),
        cves == null || cves.isEmpty() ? List.of() : Arrays.asList(cves.split("\n")),
        rows.getInt("tripwires"),
        rows.getString("reason"),
        rows.getString("sha256"),
        Sql.instant(rows, "created_at"),
        Sql.instant(rows, "changed_at"));
  }

  /** Dismisses a candidate waiting for review. */
  public FeedCandidate dismiss(String id, AuditLog.Actor actor) {
    return db.transaction(
        connection -> {
          FeedCandidate candidate = get(connection, id);
          if (candidate.state() != FeedState.NEEDS_REVIEW
              && candidate.state() != FeedState.FAILED) {
            throw ApiException.conflict(
                id + " is " + candidate.state() + ": only one waiting for review can be dismissed");
          }
          change(connection, id, FeedState.DISMISSED, "dismissed by " + actor.actor());
          AuditLog.append(connection, actor, "feed.dismiss", id, null);
          return get(connection, id);
        });
  }

  /** Marks a reviewed candidate published (the publish itself went through {@link Updates}). */
  public void published(String id, AuditLog.Actor actor) {
    db.transaction(
        connection -> {
          change(connection, id, FeedState.PUBLISHED, "approved by " + actor.actor());
          AuditLog.append(connection, actor, "feed.approve", id, null);
          return null;
        });
  }

  /** The feed's last check, for every server sharing the database. */
  public void checked(Instant at, String error) {
    db.transaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE feed_state SET last_check = ?, last_error = ? WHERE id = 1")) {
            Sql.setInstant(update, 1, at);
            update.setString(2, Sql.clip(error, 2000));
            update.executeUpdate();
          }
          return null;
        });
  }

  /** The last check's time and error (either may be null). */
  public Object[] lastCheck() {
    return db.read(
        connection -> {
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT last_check, last_error FROM feed_state WHERE id = 1");
              ResultSet rows = query.executeQuery()) {
            return rows.next()
                ? new Object[] {Sql.instant(rows, "last_check"), rows.getString(2)}
                : new Object[] {null, null};
          }
        });
  }

  /** The releases the fleet's inventory says are loaded: group, artifact, version. */
  public List<String[]> watched() {
    return db.read(
        connection -> {
          List<String[]> out = new ArrayList<>();
          try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT DISTINCT group_id, artifact_id, version FROM jvm_artifact WHERE"
                          + " group_id IS NOT NULL AND version IS NOT NULL ORDER BY group_id,"
                          + " artifact_id, version");
              ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              out.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
          }
          return out;
        });
  }

  /** Whether a published update already takes {@code group:artifact:from} to {@code to}. */
  public boolean publishedFor(String groupId, String artifactId, String from, String to) {
    return db.read(
        connection -> {
          try (PreparedStatement query =
              pairQuery(connection, "SELECT 1 FROM update_target", groupId, artifactId, from, to)) {
            try (ResultSet rows = query.executeQuery()) {
              return rows.next();
            }
          }
        });
  }
}
