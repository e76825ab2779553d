package io.jsplice.fleet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The fleet-wide half of every host's update-list ETag. Bumped, in the same transaction, by every
 * change that can alter any host's list: a publish, an approval or its withdrawal, a group's
 * policy. The row lock the bump takes also orders these changes across servers.
 */
final class FleetRevision {
  private FleetRevision() {}

  static void bump(Connection connection) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE fleet_state SET revision = revision + 1 WHERE id = 1")) {
      update.executeUpdate();
    }
  }
}
