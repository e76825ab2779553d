package io.jsplice.fleet.server.store;

import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.DatabaseException;
import io.jsplice.fleet.server.db.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin token and the fleet's enrolment key: created at the first start of the first server on
 * a database (the secrets go to owner-only files in its data directory, their hashes to the
 * database), checked by hash on every request afterwards. Servers that share the database later
 * find the hashes there and write no files: the first server's files are the credentials.
 */
public final class Credentials {
  public static final String ADMIN_FILE = "admin.token";
  public static final String ENROL_FILE = "enrol.key";

  /** The two kinds of credential, and the file each is kept in. */
  public enum Kind {
    ADMIN(ADMIN_FILE, Secrets.ADMIN_PREFIX, "admin"),
    ENROL(ENROL_FILE, Secrets.ENROL_PREFIX, "fleet");

    final String file;
    final String prefix;
    final String name;

    Kind(String file, String prefix, String name) {
      this.file = file;
      this.prefix = prefix;
      this.name = name;
    }
  }

  /**
   * What the first start found or did for one credential.
   *
   * @param kind which credential
   * @param file where its secret is (or would be) kept
   * @param created whether this start created it
   * @param note a line for the operator when the file and the database disagree; may be null
   */
  public record Setup(Kind kind, Path file, boolean created, String note) {}

  private final Database db;

  public Credentials(Database db) {
    this.db = db;
  }

  /**
   * Makes sure both credentials exist: creates each missing one, with its secret in {@code
   * dataDir}. A secret file already there (from an earlier database) is taken over rather than
   * replaced.
   *
   * @throws IOException when a file cannot be written or read
   */
  public List<Setup> ensure(Path dataDir) throws IOException {
    List<Setup> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      out.add(ensure(kind, dataDir.resolve(kind.file)));
    }
    return out;
  }

  private Setup ensure(Kind kind, Path file) throws IOException {
    String stored = storedHash(kind);
    if (stored != null) {
      return new Setup(kind, file, false, mismatch(kind, file, stored));
    }
    boolean wroteFile = false;
    String secret;
    if (Files.exists(file)) {
      secret = OwnerOnlyFiles.readSecret(file);
    } else {
      secret = Secrets.generate(kind.prefix);
      OwnerOnlyFiles.writeSecret(file, secret);
      wroteFile = true;
    }
    try {
      insert(kind, Secrets.hash(secret));
      return new Setup(kind, file, true, null);
    } catch (DatabaseException e) {
      if (!(e.getCause() instanceof SQLException sql) || !Sql.isUniqueViolation(sql)) {
        throw e;
      }
      // Another server sharing the database created it first: its file is the credential.
      if (wroteFile) {
        Files.deleteIfExists(file);
      }
      return new Setup(kind, file, false, mismatch(kind, file, storedHash(kind)));
    }
  }

  private static String mismatch(Kind kind, Path file, String storedHash) throws IOException {
    if (!Files.exists(file)) {
      return "the "
          + describe(kind)
          + " was created by another server sharing this database; use that server's "
          + kind.file;
    }
    if (!Secrets.hash(OwnerOnlyFiles.readSecret(file)).equals(storedHash)) {
      return file
          + " is not this database's "
          + describe(kind)
          + " (another server created it); use that server's "
          + kind.file;
    }
    return null;
  }

  static String describe(Kind kind) {
    return kind == Kind.ADMIN ? "admin token" : "enrolment key";
  }

  private String storedHash(Kind kind) {
    return db.read(
        connection ->
            Sql.firstString(
                connection,
                "SELECT secret_hash FROM credential WHERE kind = ? AND name = ?",
                kind.name(),
                kind.name));
  }

  private void insert(Kind kind, String hash) {
    db.transaction(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO credential (kind, name, secret_hash, created_at) VALUES (?, ?, ?,"
                      + " ?)")) {
            insert.setString(1, kind.name());
            insert.setString(2, kind.name);
            insert.setString(3, hash);
            Sql.setInstant(insert, 4, Instant.now());
            insert.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Replaces the fleet's enrolment key with a new one: from the commit on, the old key enrols
   * nothing on any server sharing the database; hosts enrolled keep their own secrets. The new key
   * replaces {@code enrol.key} in {@code dataDir} (owner-only, written before the commit and put in
   * place after it, so that the file never holds a key the database does not know); the other
   * servers' files, if any, are stale and their next start says so.
   *
   * @return the new key
   * @throws IOException when the new key cannot be written; the old key is then still the key
   */
  public String rotateEnrolmentKey(Path dataDir, AuditLog.Actor actor) throws IOException {
    String key = Secrets.generate(Kind.ENROL.prefix);
    Path next = dataDir.resolve(Kind.ENROL.file + ".next");
    Files.deleteIfExists(next);
    OwnerOnlyFiles.writeSecret(next, key);
    try {
      db.transaction(
          connection -> {
            try (PreparedStatement update =
                connection.prepareStatement(
                    "UPDATE credential SET secret_hash = ?, created_at = ? WHERE kind = ? AND"
                        + " name = ?")) {
              update.setString(1, Secrets.hash(key));
              Sql.setInstant(update, 2, Instant.now());
              update.setString(3, Kind.ENROL.name());
              update.setString(4, Kind.ENROL.name);
              update.executeUpdate();
            }
            AuditLog.append(
                connection,
                actor,
                "enrol-key.rotate",
                Kind.ENROL.name,
                "the old enrolment key enrols nothing more; enrolled hosts keep their secrets");
            return null;
          });
    } catch (RuntimeException e) {
      Files.deleteIfExists(next);
      throw e;
    }
    Files.move(
        next,
        dataDir.resolve(Kind.ENROL.file),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return key;
  }

  /** The name of the admin whose token this is, if it is one. */
  public Optional<String> admin(Connection connection, String token) throws SQLException {
    return find(connection, Kind.ADMIN, token);
  }

  /** Whether {@code key} is the fleet's enrolment key. */
  public boolean enrolKey(Connection connection, String key) throws SQLException {
    return find(connection, Kind.ENROL, key).isPresent();
  }

  private static Optional<String> find(Connection connection, Kind kind, String secret)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name FROM credential WHERE kind = ? AND secret_hash = ?")) {
      query.setString(1, kind.name());
      query.setString(2, Secrets.hash(secret));
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }
}
