package io.jsplice.fleet.server;

import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.server.db.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a fleet server runs. Several servers sharing one PostgreSQL database should be given the same
 * trust, enrolment policy and limits.
 *
 * @param dataDir owner-only: the embedded database (without {@code database}), the admin token and
 *     enrolment key files, scratch space for uploads
 * @param bind the address to listen on ({@code 127.0.0.1} by default: put a TLS proxy in front, or
 *     bind another address on purpose)
 * @param port the port; 0 picks a free one
 * @param database PostgreSQL; null for embedded H2 in {@code dataDir}
 * @param trust certificates whose keys sign the updates this server accepts; may be empty (then it
 *     accepts none)
 * @param newHosts {@link HostState#ACTIVE} or {@link HostState#PENDING}: the state of a host that
 *     just enrolled
 * @param pollSeconds the poll interval the server suggests to hosts
 * @param limits the largest bodies it reads
 * @param tls the server's certificate and key, to serve HTTPS; null for plain HTTP
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int port,
    DatabaseSettings database,
    List<Path> trust,
    HostState newHosts,
    int pollSeconds,
    ServerLimits limits,
    ServerTls tls) {

  /** Plain HTTP. */
  public ServerConfig(
      Path dataDir,
      String bind,
      int port,
      DatabaseSettings database,
      List<Path> trust,
      HostState newHosts,
      int pollSeconds,
      ServerLimits limits) {
    this(dataDir, bind, port, database, trust, newHosts, pollSeconds, limits, null);
  }

  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    bind = bind == null ? "127.0.0.1" : bind;
    trust = List.copyOf(trust);
    newHosts = newHosts == null ? HostState.ACTIVE : newHosts;
    if (newHosts == HostState.DEACTIVATED) {
      throw new IllegalArgumentException("new hosts start ACTIVE or PENDING");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    if (pollSeconds < 1) {
      throw new IllegalArgumentException("the poll interval must be at least 1 s");
    }
    limits = limits == null ? ServerLimits.DEFAULT : limits;
  }

  /** Embedded H2 in {@code dataDir}, on a free loopback port, trusting {@code trust}. */
  public static ServerConfig embedded(Path dataDir, List<Path> trust) {
    return new ServerConfig(
        dataDir, "127.0.0.1", 0, null, trust, HostState.ACTIVE, 300, ServerLimits.DEFAULT);
  }

  public ServerConfig withDatabase(DatabaseSettings database) {
    return new ServerConfig(
        dataDir, bind, port, database, trust, newHosts, pollSeconds, limits, tls);
  }

  public ServerConfig withNewHosts(HostState state) {
    return new ServerConfig(dataDir, bind, port, database, trust, state, pollSeconds, limits, tls);
  }

  public ServerConfig withLimits(ServerLimits limits) {
    return new ServerConfig(
        dataDir, bind, port, database, trust, newHosts, pollSeconds, limits, tls);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(
        dataDir, bind, port, database, trust, newHosts, pollSeconds, limits, tls);
  }

  public ServerConfig withTls(ServerTls tls) {
    return new ServerConfig(
        dataDir, bind, port, database, trust, newHosts, pollSeconds, limits, tls);
  }

  /** The database settings in force: {@code database}, or embedded H2 in the data directory. */
  public DatabaseSettings effectiveDatabase(int poolSize) {
    return database != null ? database : DatabaseSettings.embedded(dataDir, poolSize);
  }
}
