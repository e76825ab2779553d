package io.jsplice.fleet.server.db;

import java.sql.SQLException;

/**
 * A database operation failed for a reason the request did not cause: the database is unreachable,
 * or a statement failed. Unchecked: every route answers it the same way (503 or 500).
 */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the database could not be reached at all (as opposed to a failing statement). */
  public boolean unavailable() {
    return getCause() instanceof SQLException sql
        && sql.getSQLState() != null
        && sql.getSQLState().startsWith("08");
  }
}
