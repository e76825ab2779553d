package io.jsplice.fleet.server.store;

import io.jsplice.fleet.server.db.Database;
import io.jsplice.model.Update;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each published update's verdict and whether its fix is fully in force once applied (table {@code
 * update_verdict}), written in the publish's transaction; updates published before this table
 * existed are filled in at start.
 */
public final class UpdateVerdicts {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateVerdicts.class);

  private UpdateVerdicts() {}

  static void insert(Connection connection, Update update) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO update_verdict (update_id, verdict, in_force) VALUES (?, ?, ?)")) {
      insert.setString(1, update.id());
      insert.setString(2, update.applicability().verdict().name());
      insert.setString(3, UpdateDescriptors.inForce(update));
      insert.executeUpdate();
    }
  }

  /** Records the verdict of every published update that has none yet. */
  public static void backfill(Database db) {
    List<String> missing =
        db.read(
            connection -> {
              List<String> ids = new ArrayList<>();
              try (PreparedStatement query =
                      connection.prepareStatement(
                          "SELECT p.id FROM published_update p WHERE NOT EXISTS (SELECT 1 FROM"
                              + " update_verdict v WHERE v.update_id = p.id)");
                  ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                  ids.add(rows.getString(1));
                }
              }
              return ids;
            });
    for (String id : missing) {
      try {
        db.transaction(
            connection -> {
              byte[] content;
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT content FROM update_package WHERE update_id = ?")) {
                query.setString(1, id);
                try (ResultSet rows = query.executeQuery()) {
                  if (!rows.next()) {
                    return null;
                  }
                  content = rows.getBytes(1);
                }
              }
              insert(connection, UpdateDescriptors.read(content));
              return null;
            });
      } catch (RuntimeException e) {
        // Another server filled it in at the same moment, or the descriptor is unreadable.
        LOG.debug("no verdict recorded for {}: {}", id, e.getMessage());
      }
    }
  }
}
