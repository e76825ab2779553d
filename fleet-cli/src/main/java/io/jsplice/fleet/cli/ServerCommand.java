package io.jsplice.fleet.cli;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.fleet.api.EventKind;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.ServerStarted;
import io.jsplice.fleet.feed.MavenFeed;
import io.jsplice.fleet.server.FleetServer;
import io.jsplice.fleet.server.ServerConfig;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.ServerStartException;
import io.jsplice.fleet.server.ServerTls;
import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.fleet.server.events.EventTarget;
import io.jsplice.fleet.server.events.EventWebhook;
import io.jsplice.fleet.server.events.TripwireSyslog;
import io.jsplice.fleet.server.events.TripwireWebhook;
import io.jsplice.fleet.server.feed.FeedSettings;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
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
          "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface, with"
              + " --tls-cert or behind a TLS proxy).")
  String bind;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Serve HTTPS (TLS 1.2 and 1.3) with this PEM certificate, followed by its intermediate"
              + " CAs; needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The certificate's private key: PEM, unencrypted PKCS#8 (RSA or EC).")
  Path tlsKey;

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

  @Option(
      names = "--feed-key",
      paramLabel = "KEYSTORE",
      description =
          "Run the automatic feed, signing what it builds with this key (from jsplice keygen; its"
              + " certificate must be in --trust, and in the daemons' --trust). The feed watches"
              + " the releases the fleet's JVMs loaded, builds the update to each newer release of"
              + " the same line, and publishes it when its own analysis says it is fully in force;"
              + " otherwise it files it for review.")
  Path feedKey;

  @Option(
      names = "--feed-key-password-file",
      paramLabel = "FILE",
      description =
          "The feed key's password (default: $JSPLICE_KEY_PASSWORD, then KEYSTORE.password).")
  Path feedKeyPassword;

  @Option(
      names = "--feed-repository",
      paramLabel = "URL",
      description =
          "The Maven repository the feed watches (default: Maven Central); file: URLs work.")
  URI feedRepository;

  @Option(
      names = "--feed-interval",
      defaultValue = "3600",
      paramLabel = "SECONDS",
      description = "How often the feed checks the repository (default: ${DEFAULT-VALUE}).")
  long feedInterval;

  @Option(
      names = "--tripwire-webhook",
      paramLabel = "URL",
      description =
          "POST each exploit attempt that patched code blocked (tripwire events, as JSON) to this"
              + " http(s) URL, at least once.")
  URI tripwireWebhook;

  @Option(
      names = "--tripwire-syslog",
      paramLabel = "udp://HOST[:PORT]",
      description =
          "Send each exploit attempt that patched code blocked (tripwire events) to this syslog"
              + " collector: RFC 5424 over UDP, port 514 by default; sent once, with no"
              + " acknowledgement (UDP's).")
  URI tripwireSyslog;

  @Option(
      names = "--events-webhook",
      paramLabel = "URL",
      description =
          "POST the fleet's remediation events (an update applied, failed with its cause,"
              + " reapplied, undone...; --events chooses) to this http(s) URL as JSON, each with"
              + " its update's CVEs and its host's group, at least once.")
  URI eventsWebhook;

  @Option(
      names = "--events",
      paramLabel = "KIND",
      split = ",",
      description =
          "The kinds of events --events-webhook forwards (default: every kind):"
              + " ${COMPLETION-CANDIDATES}.")
  List<EventKind> eventKinds = new ArrayList<>();

  @Option(
      names = "--events-webhook-secret-file",
      paramLabel = "FILE",
      description =
          "Sign each request to --events-webhook: header X-Jsplice-Signature: sha256=HEX, the"
              + " HMAC-SHA256 of the body keyed with this file's first line.")
  Path eventsWebhookSecretFile;

  @Option(
      names = "--advisories",
      paramLabel = "PATH",
      description =
          "Import OSV advisories at start: a JSON file, or a directory of them (the GitHub advisory"
              + " database's or osv.dev's format). Also: jsplice fleet advisories import.")
  List<Path> advisories = new ArrayList<>();

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
    String webhookSecret = webhookSecret();
    FleetServer server;
    try {
      server = FleetServer.start(config, feed(config), eventTargets(webhookSecret));
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
    importAdvisories(server);
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
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "--tls-cert and --tls-key go together: the certificate and its private key");
    }
    ServerTls tls =
        tlsCert == null ? null : new ServerTls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath());
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
              ServerLimits.DEFAULT.requestBytes()),
          tls);
    } catch (IllegalArgumentException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage());
    }
  }

  /** The secret of {@code --events-webhook-secret-file}; null without one. */
  private String webhookSecret() throws FailureException {
    if (eventsWebhook == null && (!eventKinds.isEmpty() || eventsWebhookSecretFile != null)) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          (eventKinds.isEmpty() ? "--events-webhook-secret-file" : "--events")
              + " needs --events-webhook URL: it says what that webhook gets");
    }
    return eventsWebhookSecretFile == null
        ? null
        : AdminOptions.secret(eventsWebhookSecretFile, "webhook's secret");
  }

  /**
   * The targets events go to, from {@code --events-webhook}, {@code --tripwire-webhook} and {@code
   * --tripwire-syslog}.
   *
   * @throws IllegalArgumentException naming the option whose URL does not fit
   */
  private List<EventTarget> eventTargets(String webhookSecret) {
    List<EventTarget> targets = new ArrayList<>();
    if (eventsWebhook != null) {
      targets.add(
          new EventWebhook(
              eventsWebhook,
              eventKinds.isEmpty() ? EnumSet.allOf(EventKind.class) : EnumSet.copyOf(eventKinds),
              webhookSecret));
    }
    if (tripwireWebhook != null) {
      targets.add(new TripwireWebhook(tripwireWebhook));
    }
    if (tripwireSyslog != null) {
      targets.add(new TripwireSyslog(tripwireSyslog));
    }
    return targets;
  }

  private FeedSettings feed(ServerConfig config) throws FailureException {
    if (feedKey == null) {
      if (feedRepository != null) {
        throw new FailureException(
            FailureCause.BAD_REQUEST,
            "--feed-repository needs --feed-key: the feed signs what it builds");
      }
      return null;
    }
    if (feedInterval < 1) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "--feed-interval must be at least 1 second");
    }
    try {
      SigningKey key =
          SigningKey.load(
              feedKey, io.jsplice.cli.command.KeyOptions.password(feedKey, feedKeyPassword));
      URI repository = feedRepository != null ? feedRepository : MavenArtifacts.MAVEN_CENTRAL;
      return new FeedSettings(
          new MavenFeed(repository, config.dataDir().resolve("feed-repository"), key),
          Duration.ofSeconds(feedInterval));
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "cannot use --feed-key " + feedKey + ": " + e.getMessage(), e);
    }
  }

  private void importAdvisories(FleetServer server) throws FailureException {
    for (Path path : advisories) {
      for (Path file : AdvisoryFiles.list(path)) {
        try {
          server.importAdvisories(Files.readAllBytes(file), file.toString());
        } catch (IOException | RuntimeException e) {
          throw new FailureException(
              FailureCause.BAD_REQUEST,
              "cannot import the advisories in " + file + ": " + e.getMessage(),
              e);
        }
      }
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
      ServerStarted value =
          new ServerStarted(
              true,
              server.url().toString(),
              server.port(),
              config.dataDir().toString(),
              database,
              setups.get(Credentials.Kind.ADMIN).file().toString(),
              setups.get(Credentials.Kind.ENROL).file().toString(),
              config.trust().stream().map(Path::toString).toList(),
              config.newHosts(),
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

  private static String json(ServerStarted value) {
    return new String(
        io.jsplice.fleet.api.FleetJson.write(value), java.nio.charset.StandardCharsets.UTF_8);
  }
}
