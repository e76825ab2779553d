package io.jsplice.fleet.server.db;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the fleet's database is and how to log in.
 *
 * @param url a JDBC URL ({@code jdbc:postgresql://...} or {@code jdbc:h2:...})
 * @param user may be null for embedded H2
 * @param password may be null; never logged or printed
 * @param poolSize the most connections the server holds open
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1");
    }
  }

  /**
   * Embedded H2 in {@code dir}. Every commit is written to the file before it returns
   * (WRITE_DELAY=0), so a server killed with {@code kill -9} loses no acknowledged request.
   */
  public static DatabaseSettings embedded(Path dir, int poolSize) {
    String file = dir.toAbsolutePath().resolve("fleet").toString();
    return new DatabaseSettings(
        "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "fleet", "", poolSize);
  }

  public Vendor vendor() {
    if (url.startsWith("jdbc:postgresql:")) {
      return Vendor.POSTGRESQL;
    }
    if (url.startsWith("jdbc:h2:")) {
      return Vendor.H2;
    }
    throw new IllegalArgumentException(
        "unsupported database URL "
            + url
            + "; use jdbc:postgresql://HOST:PORT/DB, or leave --db out for embedded H2");
  }

  /** The URL without credentials or options, for messages. */
  public String display() {
    int semicolon = url.indexOf(';');
    int question = url.indexOf('?');
    int end = url.length();
    if (semicolon >= 0) {
      end = Math.min(end, semicolon);
    }
    if (question >= 0) {
      end = Math.min(end, question);
    }
    return url.substring(0, end);
  }

  /** The databases the server runs on. */
  public enum Vendor {
    H2,
    POSTGRESQL
  }
}
