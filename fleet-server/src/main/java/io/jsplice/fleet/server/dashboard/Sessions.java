package io.jsplice.fleet.server.dashboard;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.Sql;
import io.jsplice.fleet.server.http.Access;
import io.jsplice.fleet.server.http.Caller;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The dashboard's sessions. An admin logs in once with the admin token; the browser then holds a
 * session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} behind HTTPS) that
 * opens the admin routes of the REST API, the same routes the CLI calls with the token.
 *
 * <p>CSRF defence for every request that changes something (any method but GET and HEAD) made with
 * the cookie: it must carry the session's CSRF token in {@value #CSRF_HEADER} (the page reads it
 * from its own markup, which another site cannot), and its {@code Origin}, when the browser sends
 * one, must be this server. A request with an {@code Authorization} header is judged by that alone:
 * a bearer token is never sent by a browser on its own.
 *
 * <p>Sessions live in the database (the cookie's SHA-256 only), so every server sharing it accepts
 * them. Thread-safe.
 */
public final class Sessions {
  public static final String COOKIE = "jsplice_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final Duration LIFETIME = Duration.ofHours(12);

  private final Database db;
  private final Credentials credentials;

  public Sessions(Database db, Credentials credentials) {
    this.db = db;
    this.credentials = credentials;
  }

  /**
   * A session of an admin.
   *
   * @param actor the admin token's name, recorded in the audit log
   * @param csrf the token state-changing requests must carry
   */
  public record Session(String actor, String csrf) {}

  /** A new session: the cookie's value (shown once) and the session. */
  public record Login(String cookie, Session session) {}

  /**
   * Logs in with an admin token.
   *
   * @return empty when {@code token} is not an admin token
   */
  public Optional<Login> login(String token, String remote) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    String candidate = token.strip();
    String cookie = Secrets.generate("jsd_");
    String csrf = Secrets.generate("").substring(0, 40);
    return db.transaction(
        connection -> {
          Optional<String> admin = credentials.admin(connection, candidate);
          if (admin.isEmpty()) {
            return Optional.empty();
          }
          Instant now = Instant.now();
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM admin_session WHERE expires_at < ?")) {
            Sql.setInstant(delete, 1, now);
            delete.executeUpdate();
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO admin_session (id_hash, csrf, actor, created_at, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, Secrets.hash(cookie));
            insert.setString(2, csrf);
            insert.setString(3, admin.get());
            Sql.setInstant(insert, 4, now);
            Sql.setInstant(insert, 5, now.plus(LIFETIME));
            insert.executeUpdate();
          }
          AuditLog.append(
              connection,
              new AuditLog.Actor(admin.get(), remote),
              "dashboard.login",
              "dashboard",
              null);
          return Optional.of(new Login(cookie, new Session(admin.get(), csrf)));
        });
  }

  /** The live session a cookie value stands for; empty if unknown or expired. */
  public Optional<Session> find(String cookie) {
    if (cookie == null || cookie.isBlank()) {
      return Optional.empty();
    }
    return db.read(
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT actor, csrf FROM admin_session WHERE id_hash = ? AND expires_at > ?")) {
            query.setString(1, Secrets.hash(cookie));
            Sql.setInstant(query, 2, Instant.now());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(new Session(rows.getString(1), rows.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  /** The session of the request's cookie; empty without a live one. */
  public Optional<Session> of(Context ctx) {
    return find(ctx.cookie(COOKIE));
  }

  /** Ends the session a cookie value stands for. */
  public void logout(String cookie, String remote) {
    db.transaction(
        connection -> {
          String actor = null;
          try (PreparedStatement query =
              connection.prepareStatement("SELECT actor FROM admin_session WHERE id_hash = ?")) {
            query.setString(1, Secrets.hash(cookie));
            try (ResultSet rows = query.executeQuery()) {
              if (rows.next()) {
                actor = rows.getString(1);
              }
            }
          }
          if (actor != null) {
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM admin_session WHERE id_hash = ?")) {
              delete.setString(1, Secrets.hash(cookie));
              delete.executeUpdate();
            }
            AuditLog.append(
                connection,
                new AuditLog.Actor(actor, remote),
                "dashboard.logout",
                "dashboard",
                null);
          }
          return null;
        });
  }

  /**
   * The admin a request's session cookie identifies, for an admin route; null when the request is
   * to be judged by its {@code Authorization} header instead (it has one, it carries no session
   * cookie, or the route is not an admin route).
   *
   * @throws ApiException {@code UNAUTHENTICATED} for an unknown or expired session, {@code
   *     FORBIDDEN} for a state-changing request without the session's CSRF token or from another
   *     origin
   */
  public Caller caller(Context ctx, Access access) {
    if (access != Access.ADMIN || ctx.header("Authorization") != null) {
      return null;
    }
    String cookie = ctx.cookie(COOKIE);
    if (cookie == null) {
      return null;
    }
    Session session =
        find(cookie)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAUTHENTICATED,
                        "the dashboard session expired or is unknown; log in again at"
                            + " /dashboard/login"));
    HandlerType method = ctx.method();
    if (method != HandlerType.GET && method != HandlerType.HEAD) {
      if (!sameToken(session.csrf(), ctx.header(CSRF_HEADER))) {
        throw new ApiException(
            ErrorCode.FORBIDDEN,
            "the request carries no valid CSRF token ("
                + CSRF_HEADER
                + "); changes through the dashboard are made from its own pages: reload the page");
      }
      if (!sameOrigin(ctx)) {
        throw new ApiException(
            ErrorCode.FORBIDDEN,
            "the request comes from another site (Origin "
                + ctx.header("Origin")
                + "); the dashboard acts only from its own pages");
      }
    }
    return new Caller.Admin(session.actor());
  }

  static boolean sameToken(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the request's {@code Origin}, if any, is the host it was sent to. */
  static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return true; // not sent by this browser for this request; the CSRF token decides
    }
    String host = ctx.header("Host");
    try {
      URI uri = URI.create(origin);
      String authority = uri.getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The {@code Set-Cookie} value for a new session (or, with null, one that ends it). */
  static String cookie(String value, boolean secure) {
    StringBuilder out =
        new StringBuilder(COOKIE)
            .append('=')
            .append(value == null ? "" : value)
            .append("; Path=/; HttpOnly; SameSite=Strict; Max-Age=")
            .append(value == null ? 0 : LIFETIME.toSeconds());
    if (secure) {
      out.append("; Secure");
    }
    return out.toString();
  }
}
