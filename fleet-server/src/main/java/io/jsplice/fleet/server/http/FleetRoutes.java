package io.jsplice.fleet.server.http;

import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.server.metrics.FleetMetrics;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.CveExposures;
import io.jsplice.fleet.server.store.Events;
import io.jsplice.fleet.server.store.FleetQueries;
import java.util.List;

/** The admin's questions about the whole fleet: status, exposure, events, audit. */
public final class FleetRoutes {
  private final FleetQueries queries;
  private final CveExposures cves;
  private final Events events;
  private final AuditLog audit;
  private final FleetMetrics metrics;

  public FleetRoutes(
      FleetQueries queries,
      CveExposures cves,
      Events events,
      AuditLog audit,
      FleetMetrics metrics) {
    this.queries = queries;
    this.cves = cves;
    this.events = events;
    this.audit = audit;
    this.metrics = metrics;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            FleetPaths.FLEET_STATUS, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, metrics.status())),
        Route.get(
            FleetPaths.EXPOSURE,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, queries.exposure(ctx.pathParam("artifact")))),
        Route.get(
            FleetPaths.CVE_EXPOSURE,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, cves.of(ctx.pathParam("cve")))),
        Route.get(FleetPaths.CVE_EXPOSURE_CSV, Access.ADMIN, (ctx, c) -> csv(ctx)),
        Route.get(
            FleetPaths.EVENTS,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(
                    ctx,
                    events.page(
                        Paging.after(ctx),
                        Paging.limit(ctx, 100, 1000),
                        filter(ctx, "host"),
                        filter(ctx, "update")))),
        Route.get(
            FleetPaths.AUDIT,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(ctx, audit.page(Paging.after(ctx), Paging.limit(ctx, 100, 1000)))));
  }

  /**
   * The CVE's exposure as a CSV download for an auditor, named after the CVE (only the characters
   * of a CVE id kept in the file name).
   */
  private void csv(io.javalin.http.Context ctx) {
    String cve = ctx.pathParam("cve");
    String csv = cves.of(cve).csv();
    ctx.status(200)
        .contentType("text/csv; charset=utf-8")
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + cve.replaceAll("[^A-Za-z0-9._-]", "_") + "-exposure.csv\"")
        .result(csv);
  }

  /** An optional filter of {@code GET /api/v1/events}: null when absent or blank. */
  private static String filter(io.javalin.http.Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
