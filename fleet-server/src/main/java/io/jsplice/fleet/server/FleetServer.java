package io.jsplice.fleet.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.jsplice.fleet.api.AdvisoryImport;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.server.dashboard.DashboardPages;
import io.jsplice.fleet.server.dashboard.Sessions;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.db.DatabaseException;
import io.jsplice.fleet.server.db.DatabaseSettings;
import io.jsplice.fleet.server.db.Sql;
import io.jsplice.fleet.server.events.EventForwarder;
import io.jsplice.fleet.server.events.EventTarget;
import io.jsplice.fleet.server.feed.Feed;
import io.jsplice.fleet.server.feed.FeedSettings;
import io.jsplice.fleet.server.http.AdminRoutes;
import io.jsplice.fleet.server.http.Authenticator;
import io.jsplice.fleet.server.http.Caller;
import io.jsplice.fleet.server.http.EnrolmentKeyRoutes;
import io.jsplice.fleet.server.http.FeedRoutes;
import io.jsplice.fleet.server.http.FleetRoutes;
import io.jsplice.fleet.server.http.HostRoutes;
import io.jsplice.fleet.server.http.OverviewRoutes;
import io.jsplice.fleet.server.http.PublicRoutes;
import io.jsplice.fleet.server.http.Replies;
import io.jsplice.fleet.server.http.RolloutRoutes;
import io.jsplice.fleet.server.http.Route;
import io.jsplice.fleet.server.http.UpdateRoutes;
import io.jsplice.fleet.server.metrics.FleetMetrics;
import io.jsplice.fleet.server.store.Advisories;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.Credentials;
import io.jsplice.fleet.server.store.CveExposures;
import io.jsplice.fleet.server.store.Events;
import io.jsplice.fleet.server.store.FeedCandidates;
import io.jsplice.fleet.server.store.FleetQueries;
import io.jsplice.fleet.server.store.Groups;
import io.jsplice.fleet.server.store.Hosts;
import io.jsplice.fleet.server.store.Inventory;
import io.jsplice.fleet.server.store.LastSeen;
import io.jsplice.fleet.server.store.Overview;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.server.store.Rollouts;
import io.jsplice.fleet.server.store.UpdateAnalyses;
import io.jsplice.fleet.server.store.UpdateVerdicts;
import io.jsplice.fleet.server.store.Updates;
import io.jsplice.model.signing.TrustFileOwners;
import io.jsplice.model.signing.TrustedKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet server ({@code jsplice server}): the REST API of {@link
 * io.jsplice.fleet.api.FleetPaths} on Javalin, over the database. Every route goes through one
 * dispatch: the caller's credential is checked against the route's {@link
 * io.jsplice.fleet.server.http.Access}, refusals become an {@link io.jsplice.fleet.api.ApiError},
 * the latency goes to the metrics.
 *
 * <p>Holds no state a reply depends on outside the database, so several servers can share one
 * PostgreSQL database behind a load balancer. Thread-safe; {@link #close} stops it.
 */
public final class FleetServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);
  private static final String HANDLED = "jsplice.handled";
  private static final int POOL_SIZE = 10;
  private static final Duration LAST_SEEN_FLUSH = Duration.ofSeconds(5);
  private static final Duration PROMOTION_CHECK = Duration.ofSeconds(5);

  /**
   * How often the embedded H2 file is compacted ({@link Database#compactFile}), and how many
   * bounded steps a run takes at most: enough to keep up with a fleet enrolling at full speed.
   */
  private static final Duration FILE_COMPACTION = Duration.ofSeconds(10);

  private static final int FILE_COMPACTION_STEPS = 16;

  /** How long {@link #close} waits for a running background task before it closes the database. */
  private static final Duration BACKGROUND_STOP = Duration.ofMinutes(1);

  private final ServerConfig config;
  private final Database db;
  private final List<Credentials.Setup> credentials;
  private final List<Route> routes;
  private final LastSeen lastSeen;
  private final ScheduledExecutorService background;
  private final Javalin app;
  private Feed feed;
  private List<EventForwarder> forwarders = List.of();
  private Advisories advisories;

  private FleetServer(
      ServerConfig config,
      Database db,
      List<Credentials.Setup> credentials,
      List<Route> routes,
      LastSeen lastSeen,
      ScheduledExecutorService background,
      Javalin app) {
    this.config = config;
    this.db = db;
    this.credentials = credentials;
    this.routes = routes;
    this.lastSeen = lastSeen;
    this.background = background;
    this.app = app;
  }

  /**
   * Opens (and if needed creates and migrates) the database, creates the admin token and enrolment
   * key on first start, and starts listening.
   *
   * @throws ServerStartException with a one-line reason
   */
  public static FleetServer start(ServerConfig config) throws ServerStartException {
    return start(config, null);
  }

  /**
   * Like {@link #start(ServerConfig)}, with the automatic feed when {@code feed} is given.
   *
   * @param feed the feed's builder and interval; null for none
   * @throws ServerStartException with a one-line reason
   */
  public static FleetServer start(ServerConfig config, FeedSettings feed)
      throws ServerStartException {
    return start(config, feed, List.of());
  }

  /**
   * Like {@link #start(ServerConfig, FeedSettings)}, forwarding events to each of {@code
   * eventTargets} (tripwires, remediation webhooks: an {@link EventForwarder} each).
   *
   * @throws ServerStartException with a one-line reason
   */
  public static FleetServer start(
      ServerConfig config, FeedSettings feed, List<? extends EventTarget> eventTargets)
      throws ServerStartException {
    ServerTls.Keys tls = config.tls() == null ? null : config.tls().load();
    if (tls == null && !loopback(config.bind())) {
      LOG.warn(
          "listening on {} in plain HTTP: hosts' secrets and the admin token cross the network"
              + " readable by anyone on the way; give --tls-cert and --tls-key, or put a TLS proxy"
              + " in front",
          config.bind());
    }
    Path scratch = config.dataDir().resolve("tmp");
    try {
      OwnerOnlyFiles.directory(config.dataDir());
      clear(scratch);
    } catch (IOException e) {
      throw new ServerStartException(
          "cannot use the data directory " + config.dataDir() + ": " + e.getMessage(), e);
    }
    TrustedKeys trusted = trust(config.trust());
    Database db;
    try {
      db = Database.open(config.effectiveDatabase(POOL_SIZE));
    } catch (DatabaseException e) {
      throw new ServerStartException(e.getMessage(), e);
    }
    try {
      return start(config, db, trusted, scratch, feed, eventTargets, tls);
    } catch (ServerStartException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static FleetServer start(
      ServerConfig config,
      Database db,
      TrustedKeys trusted,
      Path scratch,
      FeedSettings feedSettings,
      List<? extends EventTarget> eventTargets,
      ServerTls.Keys tls)
      throws ServerStartException {
    Credentials credentialStore = new Credentials(db);
    List<Credentials.Setup> setups;
    try {
      setups = credentialStore.ensure(config.dataDir());
    } catch (IOException e) {
      throw new ServerStartException(
          "cannot write the admin token and enrolment key in "
              + config.dataDir()
              + ": "
              + e.getMessage(),
          e);
    }
    Inventory inventory = new Inventory(db);
    Events events = new Events(db);
    Hosts hosts = new Hosts(db, inventory, events);
    Groups groups = new Groups(db);
    Updates updates = new Updates(db);
    AuditLog audit = new AuditLog(db);
    FleetQueries queries = new FleetQueries(db);
    LastSeen lastSeen = new LastSeen(db);
    FleetMetrics metrics = new FleetMetrics(queries, Duration.ofSeconds(3L * config.pollSeconds()));
    UpdateVerdicts.backfill(db);
    Sessions sessions = new Sessions(db, credentialStore);
    DashboardPages dashboard = new DashboardPages(sessions);
    List<Route> routes = new ArrayList<>();
    routes.addAll(
        new HostRoutes(
                hosts,
                updates,
                inventory,
                lastSeen,
                config.limits(),
                config.newHosts(),
                config.pollSeconds())
            .routes());
    routes.addAll(new AdminRoutes(hosts, groups, config.limits()).routes());
    routes.addAll(new EnrolmentKeyRoutes(credentialStore, config.dataDir()).routes());
    routes.addAll(
        new UpdateRoutes(updates, new UpdateVerifier(trusted, scratch), config.limits()).routes());
    Advisories advisories = new Advisories(db);
    FeedCandidates feedCandidates = new FeedCandidates(db);
    Feed feed =
        new Feed(
            feedSettings == null ? null : feedSettings.factory(),
            feedCandidates,
            updates,
            new UpdateVerifier(trusted, scratch),
            advisories);
    routes.addAll(
        new FeedRoutes(feed, feedCandidates, advisories, updates, config.limits()).routes());
    routes.addAll(new FleetRoutes(queries, new CveExposures(db), events, audit, metrics).routes());
    routes.addAll(new PublicRoutes(db, metrics).routes());
    routes.addAll(
        new OverviewRoutes(new Overview(db), new UpdateAnalyses(updates), metrics).routes());
    Rollouts rollouts = new Rollouts(db);
    routes.addAll(new RolloutRoutes(rollouts, config.limits()).routes());
    afterReports(routes, () -> promote(rollouts));
    List<EventForwarder> forwarders = new ArrayList<>();
    for (EventTarget target : eventTargets) {
      try {
        forwarders.add(new EventForwarder(target, events, config.dataDir()));
      } catch (IOException e) {
        throw new ServerStartException(e.getMessage(), e);
      }
      EventForwarder forwarder = forwarders.get(forwarders.size() - 1);
      metrics.eventTarget(forwarder.name(), forwarder::failing);
      afterReports(routes, forwarders.get(forwarders.size() - 1)::wake);
    }
    Authenticator authenticator = new Authenticator(db, credentialStore, hosts);

    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.startup.showOldJavalinVersionWarning = false;
              javalin.http.maxRequestSize =
                  Math.max(config.limits().updateBytes(), config.limits().reportBytes());
              javalin.jetty.host = config.bind();
              javalin.jetty.port = config.port();
              if (tls != null) {
                javalin.jetty.addConnector(
                    (jetty, http) -> TlsConnector.create(jetty, http, tls, config));
              }
              for (Route route : routes) {
                javalin.routes.addHttpHandler(
                    route.method(),
                    route.path(),
                    ctx -> dispatch(route, ctx, authenticator, sessions, metrics));
              }
              dashboard.register(javalin, ctx -> ctx.attribute(HANDLED, Boolean.TRUE));
              javalin.routes.error(404, FleetServer::noRoute);
            });
    ScheduledExecutorService background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fleet-server-background");
              thread.setDaemon(true);
              return thread;
            });
    background.scheduleWithFixedDelay(
        () -> promote(rollouts),
        PROMOTION_CHECK.toMillis(),
        PROMOTION_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(
        () -> flush(lastSeen),
        LAST_SEEN_FLUSH.toMillis(),
        LAST_SEEN_FLUSH.toMillis(),
        TimeUnit.MILLISECONDS);
    if (db.settings().vendor() == DatabaseSettings.Vendor.H2) {
      background.scheduleWithFixedDelay(
          () -> compactFile(db),
          FILE_COMPACTION.toMillis(),
          FILE_COMPACTION.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    try {
      app.start();
    } catch (RuntimeException e) {
      background.shutdownNow();
      throw new ServerStartException(
          "cannot listen on "
              + config.bind()
              + ":"
              + config.port()
              + " ("
              + rootMessage(e)
              + "); choose another --port, or 0 for a free one",
          e);
    }
    FleetServer server =
        new FleetServer(config, db, setups, List.copyOf(routes), lastSeen, background, app);
    server.feed = feed;
    server.forwarders = List.copyOf(forwarders);
    forwarders.forEach(EventForwarder::start);
    server.advisories = advisories;
    if (feedSettings != null) {
      feed.start(feedSettings.interval());
    }
    return server;
  }

  private static void dispatch(
      Route route,
      Context ctx,
      Authenticator authenticator,
      Sessions sessions,
      FleetMetrics metrics) {
    long started = System.nanoTime();
    ctx.attribute(HANDLED, Boolean.TRUE);
    try {
      Caller caller = sessions.caller(ctx, route.access());
      if (caller == null) {
        caller = authenticator.authenticate(ctx.header("Authorization"), route.access());
      }
      route.handler().handle(ctx, caller);
    } catch (ApiException e) {
      Replies.error(ctx, e);
    } catch (DatabaseException e) {
      Replies.error(ctx, databaseFailure(e));
    } catch (Exception e) {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      Replies.error(
          ctx,
          new ApiException(
              ErrorCode.INTERNAL,
              "the server failed to answer " + ctx.method() + " " + ctx.path() + ": " + e));
    } finally {
      metrics.request(
          route.method().name(), route.path(), ctx.statusCode(), System.nanoTime() - started);
    }
  }

  private static ApiException databaseFailure(DatabaseException e) {
    if (e.getCause() instanceof SQLException sql && Sql.isUniqueViolation(sql)) {
      return new ApiException(
          ErrorCode.CONFLICT,
          "the request conflicts with a change made at the same moment; send it again");
    }
    if (e.unavailable()) {
      LOG.warn("database unavailable: {}", e.getMessage());
      return new ApiException(
          ErrorCode.UNAVAILABLE, "the server's database is unavailable; try again later");
    }
    LOG.error("database failure", e);
    return new ApiException(ErrorCode.INTERNAL, "the server's database failed: " + e.getMessage());
  }

  private static void noRoute(Context ctx) {
    if (ctx.attribute(HANDLED) != null) {
      return; // a route answered 404 itself, with its own message
    }
    Replies.error(
        ctx,
        ApiException.notFound(
            "no route "
                + ctx.method()
                + " "
                + ctx.path()
                + "; the API is described at /api/v1/openapi.yaml"));
  }

  /**
   * Makes the report route run {@code then} once it answered. A report may settle a ring (its last
   * JVM passed its health gate: the rollouts are checked at once, so a ring promoted "after 0 s
   * healthy" is reached at once) and may carry events to forward (the event forwarders wake).
   */
  private static void afterReports(List<Route> routes, Runnable then) {
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      if (route.path().equals(io.jsplice.fleet.api.FleetPaths.HOST_REPORT)) {
        routes.set(
            i,
            new Route(
                route.method(),
                route.path(),
                route.access(),
                (ctx, caller) -> {
                  route.handler().handle(ctx, caller);
                  then.run();
                }));
      }
    }
  }

  private static void promote(Rollouts rollouts) {
    try {
      rollouts.promoteDue();
    } catch (RuntimeException e) {
      LOG.warn("cannot check the rollouts for promotion: {}", e.getMessage());
    }
  }

  private static void flush(LastSeen lastSeen) {
    try {
      lastSeen.flush();
    } catch (RuntimeException e) {
      LOG.warn("cannot record when hosts were last seen: {}", e.getMessage());
    }
  }

  private static void compactFile(Database db) {
    try {
      int steps = 0;
      while (steps < FILE_COMPACTION_STEPS && db.compactFile()) {
        steps++;
      }
      LOG.debug("compacted the database file in {} steps", steps);
    } catch (RuntimeException e) {
      LOG.warn("cannot compact the database file: {}", e.getMessage());
    }
  }

  private static TrustedKeys trust(List<Path> paths) throws ServerStartException {
    if (paths.isEmpty()) {
      return null;
    }
    try {
      TrustFileOwners.check(paths, "the server");
      return TrustedKeys.load(paths);
    } catch (IOException e) {
      throw new ServerStartException("cannot read --trust: " + e.getMessage(), e);
    }
  }

  private static void clear(Path scratch) throws IOException {
    if (Files.exists(scratch)) {
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    OwnerOnlyFiles.directory(scratch);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  /** Whether {@code bind} is a loopback address (a name that does not resolve is not). */
  private static boolean loopback(String bind) {
    try {
      return java.net.InetAddress.getByName(bind).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public int port() {
    return app.port();
  }

  /** The URL hosts and admins reach this server at (the bound address). */
  public URI url() {
    String host = config.bind();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create((config.tls() == null ? "http" : "https") + "://" + host + ":" + port());
  }

  public ServerConfig config() {
    return config;
  }

  /** What the start found or created for the admin token and the enrolment key. */
  public List<Credentials.Setup> credentials() {
    return credentials;
  }

  /** Every route the server serves. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * Imports OSV advisories (one object, an array, or {@code {"vulns": [...]}}), as {@code POST
   * /api/v1/advisories} does; {@code jsplice server --advisories} imports its files at start.
   */
  public AdvisoryImport importAdvisories(byte[] json, String source) {
    return advisories.importOsv(json, new AuditLog.Actor("server start", source));
  }

  /** Stops listening, writes pending last-seen times, closes the database. */
  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
    forwarders.forEach(EventForwarder::close);
    app.stop();
    stop(background);
    flush(lastSeen);
    db.close();
  }

  /**
   * Cancels the periodic tasks and lets a running one finish rather than interrupting it: an
   * interrupt during H2's file I/O closes the file under the database.
   */
  private static void stop(ScheduledExecutorService background) {
    background.shutdown();
    try {
      if (!background.awaitTermination(BACKGROUND_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "a background task (last-seen flush, rollout promotion or file compaction) was still"
                + " running {} s after the server began to stop; closing the database anyway",
            BACKGROUND_STOP.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
