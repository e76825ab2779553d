package io.jsplice.fleet.server.http;

import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.HostIdentity;
import io.jsplice.fleet.server.store.Hosts;
import io.jsplice.fleet.server.store.Secrets;
import java.util.Optional;

/**
 * Checks a request's credential ({@code Authorization: Bearer ...}) against what its route's {@link
 * Access} accepts. Each credential opens one kind of route only: an admin token never acts as a
 * host, a host's secret never as an admin or as another host (host routes take the host from the
 * secret, not from the request), the enrolment key only enrols. Each refusal names the credential
 * that was sent and the one the route takes.
 *
 * <p>Every check reads the database, so a host an admin removes or deactivates through one server
 * is refused by every server at once. Thread-safe.
 */
public final class Authenticator {
  private final Database db;
  private final Credentials credentials;
  private final Hosts hosts;

  public Authenticator(Database db, Credentials credentials, Hosts hosts) {
    this.db = db;
    this.credentials = credentials;
    this.hosts = hosts;
  }

  /**
   * @param authorization the request's {@code Authorization} header; may be null
   * @throws ApiException {@code UNAUTHENTICATED} for a missing or unknown credential, {@code
   *     FORBIDDEN} for a known one that does not open this route
   */
  public Caller authenticate(String authorization, Access access) {
    if (access == Access.PUBLIC) {
      return new Caller.Anonymous();
    }
    String token = bearer(authorization, access);
    return db.read(
        connection ->
            switch (access) {
              case ADMIN -> admin(credentials.admin(connection, token), token, connection);
              case HOST -> host(hosts.authenticate(connection, token), token, connection);
              case ENROL -> enroller(credentials.enrolKey(connection, token), token, connection);
              case PUBLIC -> new Caller.Anonymous();
            });
  }

  private Caller admin(Optional<String> admin, String token, java.sql.Connection connection)
      throws java.sql.SQLException {
    if (admin.isPresent()) {
      return new Caller.Admin(admin.get());
    }
    if (token.startsWith(Secrets.HOST_PREFIX) && hosts.isHostSecret(connection, token)) {
      throw forbidden("a host's secret cannot act as an admin; send the admin token (admin.token)");
    }
    if (token.startsWith(Secrets.ENROL_PREFIX) && credentials.enrolKey(connection, token)) {
      throw forbidden("the enrolment key only enrols hosts; send the admin token (admin.token)");
    }
    throw unknown("admin token", "the server's admin.token");
  }

  private Caller host(Optional<HostIdentity> host, String token, java.sql.Connection connection)
      throws java.sql.SQLException {
    if (host.isPresent()) {
      return new Caller.Host(host.get());
    }
    if (token.startsWith(Secrets.ADMIN_PREFIX)
        && credentials.admin(connection, token).isPresent()) {
      throw forbidden("an admin token cannot act as a host; a host sends its own secret");
    }
    if (token.startsWith(Secrets.ENROL_PREFIX) && credentials.enrolKey(connection, token)) {
      throw forbidden(
          "the enrolment key only enrols; a host sends the secret it got when it enrolled");
    }
    throw unknown(
        "host secret",
        "the secret this host got when it enrolled; if an admin removed the host, enrol it again");
  }

  private Caller enroller(boolean valid, String token, java.sql.Connection connection)
      throws java.sql.SQLException {
    if (valid) {
      return new Caller.Enroller();
    }
    if ((token.startsWith(Secrets.ADMIN_PREFIX) && credentials.admin(connection, token).isPresent())
        || (token.startsWith(Secrets.HOST_PREFIX) && hosts.isHostSecret(connection, token))) {
      throw forbidden("enrolment takes the fleet's enrolment key (enrol.key), not this credential");
    }
    throw unknown("enrolment key", "the server's enrol.key");
  }

  private static String bearer(String authorization, Access access) {
    String expected =
        switch (access) {
          case ADMIN -> "the admin token (admin.token)";
          case HOST -> "the host's secret";
          case ENROL -> "the fleet's enrolment key (enrol.key)";
          case PUBLIC -> "nothing";
        };
    if (authorization == null || authorization.isBlank()) {
      throw new ApiException(
          ErrorCode.UNAUTHENTICATED,
          "no credentials: send \"Authorization: Bearer\" with " + expected);
    }
    String prefix = "Bearer ";
    if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())
        || authorization.length() == prefix.length()) {
      throw new ApiException(
          ErrorCode.UNAUTHENTICATED,
          "the Authorization header is not \"Bearer CREDENTIAL\"; send " + expected);
    }
    return authorization.substring(prefix.length()).strip();
  }

  private static ApiException forbidden(String message) {
    return new ApiException(ErrorCode.FORBIDDEN, message);
  }

  private static ApiException unknown(String what, String use) {
    return new ApiException(
        ErrorCode.UNAUTHENTICATED, "unknown " + what + ": the server does not know it; use " + use);
  }
}
