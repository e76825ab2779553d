package io.jsplice.fleet.server;

import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.fleet.testkit.TestDatabase;

/** The databases the server runs on in tests: embedded H2, and a real PostgreSQL. */
public enum Backend {
  H2(TestDatabase.H2),
  POSTGRESQL(TestDatabase.POSTGRESQL);

  private final TestDatabase database;

  Backend(TestDatabase database) {
    this.database = database;
  }

  /** A new empty database of this kind; null for H2, which lives in the server's data dir. */
  public DatabaseSettings newDatabase(String name) {
    TestDatabase.Login login = database.create(name);
    return login == null
        ? null
        : new DatabaseSettings(login.url(), login.user(), login.password(), 10);
  }
}
