package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostChange;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.Groups;
import io.jsplice.fleet.server.store.Hosts;
import java.util.List;

/** The admin's routes over hosts and groups. Every change is audited in its own transaction. */
public final class AdminRoutes {
  private static final HostChange NO_CHANGE = new HostChange(null, null, null);

  private final Hosts hosts;
  private final Groups groups;
  private final ServerLimits limits;

  public AdminRoutes(Hosts hosts, Groups groups, ServerLimits limits) {
    this.hosts = hosts;
    this.groups = groups;
    this.limits = limits;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(FleetPaths.HOSTS, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, hosts.list())),
        Route.get(
            FleetPaths.HOST,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, hosts.detail(ctx.pathParam("name")))),
        Route.delete(FleetPaths.HOST, Access.ADMIN, this::remove),
        Route.post(FleetPaths.HOST_ACTIVATE, Access.ADMIN, this::activate),
        Route.post(FleetPaths.HOST_DEACTIVATE, Access.ADMIN, this::deactivate),
        Route.put(FleetPaths.HOST_GROUP, Access.ADMIN, this::group),
        Route.put(FleetPaths.HOST_RING, Access.ADMIN, this::ring),
        Route.get(
            FleetPaths.HOST_REPORTS,
            Access.ADMIN,
            (ctx, c) ->
                Replies.ok(
                    ctx, hosts.reports(ctx.pathParam("name"), Paging.limit(ctx, 100, 1000)))),
        Route.get(FleetPaths.GROUPS, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, groups.list())),
        Route.put(FleetPaths.GROUP, Access.ADMIN, this::putGroup));
  }

  static AuditLog.Actor actor(Context ctx, Caller caller) {
    return new AuditLog.Actor(caller.name(), ctx.ip());
  }

  private void remove(Context ctx, Caller caller) {
    hosts.remove(ctx.pathParam("name"), actor(ctx, caller));
    ctx.status(204);
  }

  private void activate(Context ctx, Caller caller) {
    Bodies.jsonOr(ctx, HostChange.class, limits.requestBytes(), NO_CHANGE);
    Replies.ok(
        ctx, hosts.changeState(ctx.pathParam("name"), HostState.ACTIVE, null, actor(ctx, caller)));
  }

  private void deactivate(Context ctx, Caller caller) {
    HostChange change = Bodies.jsonOr(ctx, HostChange.class, limits.requestBytes(), NO_CHANGE);
    Replies.ok(
        ctx,
        hosts.changeState(
            ctx.pathParam("name"), HostState.DEACTIVATED, change.reason(), actor(ctx, caller)));
  }

  private void group(Context ctx, Caller caller) {
    HostChange change = Bodies.json(ctx, HostChange.class, limits.requestBytes());
    if (change.group() == null) {
      throw ApiException.badRequest("name the group: {\"group\": \"NAME\"}");
    }
    Replies.ok(ctx, hosts.moveToGroup(ctx.pathParam("name"), change.group(), actor(ctx, caller)));
  }

  private void ring(Context ctx, Caller caller) {
    HostChange change = Bodies.json(ctx, HostChange.class, limits.requestBytes());
    Replies.ok(ctx, hosts.setRing(ctx.pathParam("name"), change.ring(), actor(ctx, caller)));
  }

  private void putGroup(Context ctx, Caller caller) {
    GroupSettings settings = Bodies.json(ctx, GroupSettings.class, limits.requestBytes());
    Replies.ok(
        ctx,
        groups.put(
            ctx.pathParam("name"),
            settings.policy(),
            settings.acceptLeftOut(),
            actor(ctx, caller)));
  }
}
