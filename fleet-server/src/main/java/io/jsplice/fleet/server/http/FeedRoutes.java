package io.jsplice.fleet.server.http;

import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.feed.Feed;
import io.jsplice.fleet.server.store.Advisories;
import io.jsplice.fleet.server.store.FeedCandidates;
import io.jsplice.fleet.server.store.UpdateAnalyses;
import io.jsplice.fleet.server.store.UpdateDescriptors;
import io.jsplice.fleet.server.store.Updates;
import io.jsplice.fleet.server.store.VexStatements;
import java.util.List;

/**
 * The admin's routes over the automatic feed (what it built, check now, publish or dismiss what
 * needs review), the imported advisories, and each update's VEX statement.
 */
public final class FeedRoutes {
  private final Feed feed;
  private final FeedCandidates candidates;
  private final Advisories advisories;
  private final Updates updates;
  private final ServerLimits limits;

  public FeedRoutes(
      Feed feed,
      FeedCandidates candidates,
      Advisories advisories,
      Updates updates,
      ServerLimits limits) {
    this.feed = feed;
    this.candidates = candidates;
    this.advisories = advisories;
    this.updates = updates;
    this.limits = limits;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(FleetPaths.FEED, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, feed.status())),
        Route.post(
            FleetPaths.FEED_CHECK,
            Access.ADMIN,
            (ctx, c) -> {
              feed.checkSoon();
              Replies.json(ctx, 202, feed.status());
            }),
        Route.get(
            FleetPaths.FEED_ANALYSIS,
            Access.ADMIN,
            (ctx, c) -> {
              candidates.get(ctx.pathParam("id"));
              Replies.ok(
                  ctx,
                  UpdateAnalyses.analyse(
                      UpdateDescriptors.read(feed.content(ctx.pathParam("id")))));
            }),
        Route.post(
            FleetPaths.FEED_PUBLISH,
            Access.ADMIN,
            (ctx, c) ->
                Replies.json(
                    ctx, 201, feed.publish(ctx.pathParam("id"), AdminRoutes.actor(ctx, c)))),
        Route.post(
            FleetPaths.FEED_DISMISS,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(
                    ctx, candidates.dismiss(ctx.pathParam("id"), AdminRoutes.actor(ctx, c)))),
        Route.get(
            FleetPaths.ADVISORIES, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, advisories.list())),
        Route.post(
            FleetPaths.ADVISORIES,
            Access.ADMIN,
            (ctx, c) -> {
              byte[] body = Bodies.read(ctx, limits.reportBytes(), "advisories");
              if (body.length == 0) {
                throw ApiException.badRequest("send OSV advisories as JSON");
              }
              Replies.ok(ctx, advisories.importOsv(body, AdminRoutes.actor(ctx, c)));
            }),
        Route.get(
            FleetPaths.HOST_ADVISORIES,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, advisories.forHost(ctx.pathParam("name")))),
        Route.get(
            FleetPaths.UPDATE_VEX,
            Access.ADMIN,
            (ctx, c) ->
                ctx.status(200)
                    .contentType(VexStatements.MEDIA_TYPE)
                    .result(FleetJson.write(VexStatements.of(updates.get(ctx.pathParam("id")))))));
  }
}
