package io.jsplice.fleet.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.Events;
import io.jsplice.fleet.server.store.Hosts;
import io.jsplice.fleet.server.store.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file stays within a small multiple of its live data when the server's compaction
 * runs, although with {@code WRITE_DELAY=0} every commit appends a chunk to it; and compaction
 * beside commits loses none of them.
 *
 * <p>H2 rewrites or overwrites a chunk only once it is older than the retention time (45 s by
 * default, as the server runs). The first test sets {@code RETENTION_TIME=0} so that it need not
 * wait for the chunks to age. Beside commits that setting is unsafe: a commit may read a chunk a
 * step has just freed ("MVStoreException: Chunk N not found", 1 run in 25 on a busy machine; H2
 * itself compacts with a retention time of 0 only while the database closes, and the server never
 * sets it). So the second test keeps a retention time (one second) and lets the first chunks age
 * past it before the commits start. Everything else is the server's setting.
 */
class H2FileCompactionTest {
  private static final int HOSTS = 2000;
  private static final int BESIDE_COMMITS_RETENTION_MILLIS = 1000;
  private static final AuditLog.Actor ACTOR = new AuditLog.Actor("test", "127.0.0.1");

  @TempDir Path dir;

  @Test
  void compaction_shrinksTheFileToASmallMultipleOfItsLiveData() throws Exception {
    long grown;
    long compacted;
    int steps = 0;
    try (Database db = Database.open(settings())) {
      Hosts hosts = hosts(db);
      for (int i = 0; i < HOSTS; i++) {
        enrol(hosts, "host-" + i); // one commit, one chunk each
      }
      grown = Files.size(file());
      while (db.compactFile()) {
        steps++;
        assertThat(steps).as("steps that still find sparse chunks").isLessThan(10_000);
      }
      compacted = Files.size(file());
      assertThat(count(db)).isEqualTo(HOSTS);
    }
    long live = liveSize();
    System.out.printf(
        "H2SIZES grown %d compacted %d live %d steps %d%n", grown, compacted, live, steps);
    assertThat(grown).as("the file before compaction, live data %d", live).isGreaterThan(10 * live);
    assertThat(compacted)
        .as("the file after %d compaction steps, grown %d, live data %d", steps, grown, live)
        .isLessThanOrEqualTo(3 * live);
  }

  @Test
  void compactionBesideCommits_losesNone() throws Exception {
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (Database db = Database.open(settings(BESIDE_COMMITS_RETENTION_MILLIS))) {
      Hosts hosts = hosts(db);
      for (int i = 0; i < HOSTS / 2; i++) {
        enrol(hosts, "early-" + i);
      }
      // So that the steps beside the commits find chunks old enough to rewrite; no assertion
      // depends on how long anything takes.
      Thread.sleep(2 * BESIDE_COMMITS_RETENTION_MILLIS);
      CompletableFuture<Void> writing =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < HOSTS / 2; i++) {
                  enrol(hosts, "late-" + i);
                }
              },
              writer);
      int steps = 0;
      do {
        db.compactFile();
        steps++;
      } while (!writing.isDone());
      writing.join();
      while (db.compactFile()) {
        steps++;
      }
      assertThat(steps).isPositive();
      assertThat(count(db)).isEqualTo(HOSTS);
    } finally {
      writer.shutdown();
    }
    try (Database reopened = Database.open(settings(BESIDE_COMMITS_RETENTION_MILLIS))) {
      assertThat(count(reopened)).as("hosts after reopening").isEqualTo(HOSTS);
    }
  }

  private DatabaseSettings settings() {
    return settings(0);
  }

  private DatabaseSettings settings(int retentionMillis) {
    DatabaseSettings server = DatabaseSettings.embedded(dir, 4);
    return new DatabaseSettings(
        server.url() + ";RETENTION_TIME=" + retentionMillis,
        server.user(),
        server.password(),
        server.poolSize());
  }

  private Path file() {
    return dir.resolve("fleet.mv.db");
  }

  /** The file's size once H2 has compacted it fully at close. */
  private long liveSize() throws Exception {
    DatabaseSettings settings = settings();
    try (Connection connection =
            DriverManager.getConnection(settings.url(), settings.user(), settings.password());
        Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN COMPACT");
    }
    return Files.size(file());
  }

  private static Hosts hosts(Database db) {
    Events events = new Events(db);
    return new Hosts(db, new Inventory(db), events);
  }

  private static void enrol(Hosts hosts, String name) {
    hosts.enrol(
        new Enrolment(name, "machine-" + name, name + ".example", null),
        HostState.ACTIVE,
        60,
        ACTOR);
  }

  private static int count(Database db) {
    return db.read(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM host")) {
            rows.next();
            return rows.getInt(1);
          }
        });
  }
}
