package io.jsplice.fleet.testkit;

import io.jsplice.testkit.Postgres;

/** The databases the fleet server runs on in tests: embedded H2, and a real PostgreSQL. */
public enum TestDatabase {
  H2,
  POSTGRESQL;

  /**
   * A new empty database of this kind.
   *
   * @return its JDBC URL, user and password; null for H2, which lives in the server's data dir
   */
  public Login create(String name) {
    if (this == H2) {
      return null;
    }
    return new Login(Postgres.get().newDatabase(name), Postgres.USER, Postgres.PASSWORD);
  }

  /** Where a database is and how to log in. */
  public record Login(String url, String user, String password) {}
}
