package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.db.Database;
import io.jsplice.fleet.server.metrics.FleetMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The routes that need no credential: liveness, the Prometheus metrics (aggregate counts only,
 * nothing about a single host), and the API's OpenAPI description.
 */
public final class PublicRoutes {
  /** Where the OpenAPI description is, on the class path. */
  public static final String OPENAPI_RESOURCE = "/io/jsplice/fleet/server/openapi.yaml";

  private final Database db;
  private final FleetMetrics metrics;
  private final byte[] openapi;

  public PublicRoutes(Database db, FleetMetrics metrics) {
    this.db = db;
    this.metrics = metrics;
    this.openapi = openapi();
  }

  /** The OpenAPI description, as the server serves it. */
  public static byte[] openapi() {
    try (InputStream in = PublicRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the server's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Route> routes() {
    return List.of(
        Route.get(FleetPaths.HEALTH, Access.PUBLIC, this::health),
        Route.get(FleetPaths.OPENAPI, Access.PUBLIC, this::describe),
        Route.get(FleetPaths.METRICS, Access.PUBLIC, this::metrics));
  }

  private void health(Context ctx, Caller caller) {
    try {
      db.read(connection -> connection.isValid(5));
    } catch (RuntimeException e) {
      throw new ApiException(
          ErrorCode.UNAVAILABLE, "the database does not answer: " + e.getMessage());
    }
    Replies.ok(ctx, Map.of("status", "ok"));
  }

  private void describe(Context ctx, Caller caller) {
    ctx.status(200).contentType("application/yaml").result(openapi);
  }

  private void metrics(Context ctx, Caller caller) {
    ctx.status(200)
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape());
  }
}
