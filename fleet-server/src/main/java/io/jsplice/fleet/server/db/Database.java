package io.jsplice.fleet.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The fleet's database: a HikariCP pool, migrated by Flyway to the current schema on open ({@code
 * db/migration}). Several servers may open the same PostgreSQL database at once: Flyway serializes
 * their migrations with a lock, and nothing here keeps state outside the database.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final DatabaseSettings settings;

  private Database(HikariDataSource pool, DatabaseSettings settings) {
    this.pool = pool;
    this.settings = settings;
  }

  /**
   * Connects and migrates.
   *
   * @throws DatabaseException when the database cannot be reached or migrated; the message says
   *     which database and why, never the password
   */
  public static Database open(DatabaseSettings settings) {
    settings.vendor(); // refuses an unsupported URL before connecting
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setPoolName("fleet-db");
    config.setAutoCommit(true);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new DatabaseException(
          "cannot connect to the database "
              + settings.display()
              + " ("
              + rootMessage(e)
              + "); check --db, the user and the password",
          e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new DatabaseException(
          "cannot bring the database "
              + settings.display()
              + " to the current schema: "
              + rootMessage(e),
          e);
    }
    return new Database(pool, settings);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A
   * reply that says "stored" is sent only after this returns, so an acknowledged write is
   * committed.
   */
  public <T> T transaction(SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException("a database transaction failed: " + e.getMessage(), e);
    }
  }

  /** Runs read-only {@code work} on a connection in auto-commit mode. */
  public <T> T read(SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new DatabaseException("a database query failed: " + e.getMessage(), e);
    }
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
