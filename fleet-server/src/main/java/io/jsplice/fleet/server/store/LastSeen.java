package io.jsplice.fleet.server.store;

import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each host last polled, written in batches: a poll that finds its list unchanged should cost
 * one indexed read, not a write. {@link #flush} runs every few seconds and at shutdown, so a host's
 * {@code lastSeen} lags by at most that much (and a server killed outright loses at most that much
 * of it, never anything a host was told was stored). Servers sharing a database only ever move a
 * host's time forward.
 *
 * <p>Thread-safe.
 */
public final class LastSeen {
  private final Database db;
  private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

  public LastSeen(Database db) {
    this.db = db;
  }

  /** Notes that host {@code hostId} was seen now. */
  public void seen(String hostId) {
    pending.put(hostId, Instant.now());
  }

  /** Writes the pending times; returns how many hosts it updated. */
  public int flush() {
    if (pending.isEmpty()) {
      return 0;
    }
    Map<String, Instant> batch = new TreeMap<>(); // by id: servers lock rows in one order
    for (String id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    return db.transaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE host SET last_seen = ? WHERE id = ? AND (last_seen IS NULL OR last_seen"
                      + " < ?)")) {
            for (Map.Entry<String, Instant> entry : batch.entrySet()) {
              Sql.setInstant(update, 1, entry.getValue());
              update.setString(2, entry.getKey());
              Sql.setInstant(update, 3, entry.getValue());
              update.addBatch();
            }
            update.executeBatch();
          }
          return batch.size();
        });
  }
}
