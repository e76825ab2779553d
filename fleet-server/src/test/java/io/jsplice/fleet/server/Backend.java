package io.jsplice.fleet.server;

import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.testkit.Postgres;

/** The databases the server runs on in tests: embedded H2, and a real PostgreSQL. */
public enum Backend {
  H2,
  POSTGRESQL;

  /** A new empty database of this kind; null for H2, which lives in the server's data dir. */
  public DatabaseSettings newDatabase(String name) {
    if (this == H2) {
      return null;
    }
    return new DatabaseSettings(
        Postgres.get().newDatabase(name), Postgres.USER, Postgres.PASSWORD, 10);
  }
}
