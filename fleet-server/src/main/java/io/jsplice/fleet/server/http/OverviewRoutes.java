package io.jsplice.fleet.server.http;

import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.server.metrics.FleetMetrics;
import io.jsplice.fleet.server.store.Overview;
import io.jsplice.fleet.server.store.UpdateAnalyses;
import java.util.List;

/**
 * The admin's questions the dashboard asks: the fleet overview, which JVMs run an update or need
 * it, and what an update's own analysis says. Plain API routes: the CLI may ask them as well.
 */
public final class OverviewRoutes {
  private final Overview overview;
  private final UpdateAnalyses analyses;
  private final FleetMetrics metrics;

  public OverviewRoutes(Overview overview, UpdateAnalyses analyses, FleetMetrics metrics) {
    this.overview = overview;
    this.analyses = analyses;
    this.metrics = metrics;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            FleetPaths.FLEET_OVERVIEW,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, overview.overview(metrics.status()))),
        Route.get(
            FleetPaths.UPDATE_JVMS,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, overview.jvms(ctx.pathParam("id")))),
        Route.get(
            FleetPaths.UPDATE_ANALYSIS,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, analyses.of(ctx.pathParam("id")))));
  }
}
