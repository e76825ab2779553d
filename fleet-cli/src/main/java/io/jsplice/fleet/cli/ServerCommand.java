package io.jsplice.fleet.cli;

import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.ServerStartException;
import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsplice server}: the fleet's update server. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the fleet server: hosts enrol and poll it for the signed updates that apply to what",
      "their JVMs loaded, and report what runs; admins publish updates and manage hosts through",
      "it (jsplice publish, hosts, host, fleet). Needs no setup: an embedded database in --data,",
      "and at first start an admin token (DATA/admin.token) and the fleet's enrolment key",
      "(DATA/enrol.key), readable only by this user. With --db, runs on PostgreSQL; several",
      "servers may share one database. Runs until stopped (SIGTERM or Ctrl-C)."
    })
public final class ServerCommand implements Callable<Integer> {
  static final String DB_USER_ENV = "JSPLICE_DB_USER";
  static final String DB_PASSWORD_ENV = "JSPLICE_DB_PASSWORD";
  static final String DB_PASSWORD_FILE_ENV = "JSPLICE_DB_PASSWORD_FILE";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Owner-only directory for the embedded database and the credentials (default:"
              + " ~/.jsplice/server).")
  Path data;

  @Option(
      names = "--port",
      defaultValue = "8440",
      description = "The port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface, best"
              + " behind a TLS proxy).")
  String bind;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "PostgreSQL instead of the embedded database: jdbc:postgresql://HOST:PORT/DB. The user"
              + " and password come from --db-user and --db-password-file, or $"
              + DB_USER_ENV
              + ", $"
              + DB_PASSWORD_FILE_ENV
              + " or $"
              + DB_PASSWORD_ENV
              + ".")
  String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "The database user.")
  String dbUser;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description = "A file whose first line is the database password.")
  Path dbPasswordFile;

  @Option(
      names = "--db-pool",
      defaultValue = "10",
      paramLabel = "N",
      description = "Database connections this server holds at most (default: ${DEFAULT-VALUE}).")
  int dbPool;

  @Option(
      names = "--trust",
      paramLabel = "CERT",
      split = ",",
      description =
          "Certificates whose keys sign the updates this server accepts; it refuses any other."
              + " Without it, it accepts none.")
  List<Path> trust = new ArrayList<>();

  @Option(
      names = "--new-hosts",
      defaultValue = "ACTIVE",
      paramLabel = "STATE",
      description =
          "What a host is when it enrols: ACTIVE (gets updates at once) or PENDING (waits for"
              + " jsplice host activate). Default: ${DEFAULT-VALUE}.")
  HostState newHosts;

  @Option(
      names = "--poll-interval",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "The poll interval suggested to daemons (default: ${DEFAULT-VALUE}).")
  int pollSeconds;

  @Option(
      names = "--max-update-size",
      defaultValue = "33554432",
      paramLabel = "BYTES",
      description = "The largest update file accepted (default: ${DEFAULT-VALUE}).")
  long maxUpdateSize;

  @Option(names = "--json", description = "Print where the server listens as one JSON object.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log the libraries' information lines too (Jetty, HikariCP, Flyway).")
  boolean verbose;

  @Override
  public Integer call() throws FailureException {
    configureLogging(verbose);
    ServerConfig config = config();
    FleetServer server;
    try {
      server = FleetServer.start(config);
    } catch (ServerStartException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "jsplice-server-stop"));
    describe(server, spec.commandLine().getOut());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The libraries log through SLF4J to stderr: warnings only, unless --verbose. */
  static void configureLogging(boolean verbose) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.jsplice", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
  }

  private ServerConfig config() throws FailureException {
    Path dir =
        data != null
            ? data.toAbsolutePath()
            : Path.of(System.getProperty("user.home"), ".jsplice", "server");
    DatabaseSettings database = null;
    if (db != null) {
      String user = dbUser != null ? dbUser : System.getenv(DB_USER_ENV);
      database = new DatabaseSettings(db, user, password(), dbPool);
      try {
        database.vendor();
      } catch (IllegalArgumentException e) {
        throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage());
      }
    }
    if (newHosts == HostState.DEACTIVATED) {
      throw new FailureException(FailureCause.BAD_REQUEST, "--new-hosts takes ACTIVE or PENDING");
    }
    try {
      return new ServerConfig(
          dir,
          bind,
          port,
          database,
          trust.stream().map(Path::toAbsolutePath).toList(),
          newHosts,
          pollSeconds,
          new ServerLimits(
              maxUpdateSize,
              ServerLimits.DEFAULT.reportBytes(),
              ServerLimits.DEFAULT.requestBytes()));
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage());
    }
  }

  private String password() throws FailureException {
    Path file = dbPasswordFile;
    if (file == null && System.getenv(DB_PASSWORD_FILE_ENV) != null) {
      file = Path.of(System.getenv(DB_PASSWORD_FILE_ENV));
    }
    if (file != null) {
      return AdminOptions.secret(file, "database password");
    }
    return System.getenv(DB_PASSWORD_ENV);
  }

  private void describe(FleetServer server, PrintWriter out) {
    ServerConfig config = server.config();
    String database =
        config.database() == null
            ? "embedded H2 in " + config.dataDir()
            : config.database().display();
    Map<Credentials.Kind, Credentials.Setup> setups = new LinkedHashMap<>();
    server.credentials().forEach(s -> setups.put(s.kind(), s));
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", true);
      value.put("url", server.url().toString());
      value.put("port", server.port());
      value.put("data", config.dataDir().toString());
      value.put("database", database);
      value.put("adminToken", setups.get(Credentials.Kind.ADMIN).file().toString());
      value.put("enrolKey", setups.get(Credentials.Kind.ENROL).file().toString());
      value.put("trustedKeys", config.trust().stream().map(Path::toString).toList());
      value.put("newHosts", config.newHosts());
      value.put(
          "notes",
          server.credentials().stream()
              .map(Credentials.Setup::note)
              .filter(n -> n != null)
              .toList());
      out.println(json(value));
      out.flush();
      return;
    }
    out.println("jsplice server listening on " + server.url() + " (" + database + ")");
    for (Credentials.Setup setup : setups.values()) {
      out.println(
          "  "
              + (setup.kind() == Credentials.Kind.ADMIN ? "admin token:   " : "enrolment key: ")
              + setup.file()
              + (setup.created() ? " (created now, readable only by this user)" : ""));
      if (setup.note() != null) {
        out.println("  ! " + setup.note());
      }
    }
    out.println(
        config.trust().isEmpty()
            ? "  ! no --trust: every publish is refused until the server trusts a signing key"
            : "  accepts updates signed by the keys in " + config.trust());
    out.println(
        "  new hosts are "
            + config.newHosts().name().toLowerCase()
            + (config.newHosts() == HostState.PENDING
                ? " until `jsplice host activate NAME`"
                : ""));
    out.flush();
  }

  private static String json(Map<String, Object> value) {
    return new String(
        io.jsplice.fleet.api.FleetJson.write(value), java.nio.charset.StandardCharsets.UTF_8);
  }
}
