package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.RingSettings;
import io.jsplice.fleet.api.RolloutAction;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.store.Rollouts;
import java.util.List;

/**
 * The admin's routes over staged rollouts: an update's rollouts by group, and start, pause, resume,
 * promote and roll back one; a group's rings. Every change is audited in its own transaction.
 */
public final class RolloutRoutes {
  private static final RolloutAction NO_REASON = new RolloutAction(null);

  private final Rollouts rollouts;
  private final ServerLimits limits;

  public RolloutRoutes(Rollouts rollouts, ServerLimits limits) {
    this.rollouts = rollouts;
    this.limits = limits;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            FleetPaths.UPDATE_ROLLOUTS,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, rollouts.list(ctx.pathParam("id")))),
        Route.post(
            FleetPaths.ROLLOUT_START,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, rollouts.start(id(ctx), group(ctx), actor(ctx, c)))),
        Route.post(
            FleetPaths.ROLLOUT_PAUSE,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(ctx, rollouts.pause(id(ctx), group(ctx), reason(ctx), actor(ctx, c)))),
        Route.post(
            FleetPaths.ROLLOUT_RESUME,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, rollouts.resume(id(ctx), group(ctx), actor(ctx, c)))),
        Route.post(
            FleetPaths.ROLLOUT_PROMOTE,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, rollouts.promote(id(ctx), group(ctx), actor(ctx, c)))),
        Route.post(
            FleetPaths.ROLLOUT_ROLLBACK,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(
                    ctx, rollouts.rollback(id(ctx), group(ctx), reason(ctx), actor(ctx, c)))),
        Route.put(FleetPaths.GROUP_RINGS, Access.ADMIN, this::rings));
  }

  private static String id(Context ctx) {
    return ctx.pathParam("id");
  }

  private static String group(Context ctx) {
    return ctx.pathParam("group");
  }

  private static io.jsplice.fleet.server.store.AuditLog.Actor actor(Context ctx, Caller caller) {
    return AdminRoutes.actor(ctx, caller);
  }

  private String reason(Context ctx) {
    return Bodies.jsonOr(ctx, RolloutAction.class, limits.requestBytes(), NO_REASON).reason();
  }

  private void rings(Context ctx, Caller caller) {
    RingSettings settings = Bodies.json(ctx, RingSettings.class, limits.requestBytes());
    Replies.ok(ctx, rollouts.putRings(ctx.pathParam("name"), settings, actor(ctx, caller)));
  }
}
