package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.Approval;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.LeftOutAcceptance;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.UpdateVerifier;
import io.jsplice.fleet.server.store.Updates;
import java.util.List;

/** The admin's routes over updates: publish, list, read, and approve for a group. */
public final class UpdateRoutes {
  private final Updates updates;
  private final UpdateVerifier verifier;
  private final ServerLimits limits;

  public UpdateRoutes(Updates updates, UpdateVerifier verifier, ServerLimits limits) {
    this.updates = updates;
    this.verifier = verifier;
    this.limits = limits;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(FleetPaths.UPDATES, Access.ADMIN, (ctx, c) -> Replies.ok(ctx, updates.list())),
        Route.post(FleetPaths.UPDATES, Access.ADMIN, this::publish),
        Route.get(
            FleetPaths.UPDATE,
            Access.ADMIN,
            (ctx, c) -> Replies.ok(ctx, updates.get(ctx.pathParam("id")))),
        Route.get(FleetPaths.UPDATE_PACKAGE, Access.ADMIN, this::content),
        Route.post(FleetPaths.UPDATE_APPROVALS, Access.ADMIN, this::approve),
        Route.post(FleetPaths.UPDATE_LEFT_OUT_ACCEPTANCES, Access.ADMIN, this::acceptLeftOut),
        Route.delete(FleetPaths.UPDATE_LEFT_OUT_ACCEPTANCE, Access.ADMIN, this::withdrawLeftOut),
        Route.delete(FleetPaths.UPDATE_APPROVAL, Access.ADMIN, this::revoke));
  }

  private void publish(Context ctx, Caller caller) {
    byte[] bytes = Bodies.read(ctx, limits.updateBytes(), "update file");
    if (bytes.length == 0) {
      throw ApiException.badRequest("the request has no body; send the signed update file");
    }
    PublishReceipt receipt =
        updates.publish(verifier.verify(bytes), AdminRoutes.actor(ctx, caller));
    Replies.json(ctx, receipt.alreadyPublished() ? 200 : 201, receipt);
  }

  private void content(Context ctx, Caller caller) {
    String id = ctx.pathParam("id");
    PublishedUpdate update = updates.get(id);
    byte[] content = updates.content(id);
    ctx.header(FleetPaths.SHA256_HEADER, update.sha256());
    ctx.status(200).contentType("application/java-archive").result(content);
  }

  private void approve(Context ctx, Caller caller) {
    Approval approval = Bodies.json(ctx, Approval.class, limits.requestBytes());
    Replies.ok(
        ctx,
        updates.approve(ctx.pathParam("id"), approval.group(), AdminRoutes.actor(ctx, caller)));
  }

  private void acceptLeftOut(Context ctx, Caller caller) {
    LeftOutAcceptance acceptance = Bodies.json(ctx, LeftOutAcceptance.class, limits.requestBytes());
    Replies.ok(
        ctx,
        updates.acceptLeftOut(
            ctx.pathParam("id"), acceptance.group(), AdminRoutes.actor(ctx, caller)));
  }

  private void withdrawLeftOut(Context ctx, Caller caller) {
    String group = ctx.pathParam("group");
    Replies.ok(
        ctx,
        updates.withdrawLeftOut(
            ctx.pathParam("id"),
            group.equals(LeftOutAcceptance.EVERY_GROUP) ? null : group,
            AdminRoutes.actor(ctx, caller)));
  }

  private void revoke(Context ctx, Caller caller) {
    Replies.ok(
        ctx,
        updates.revoke(
            ctx.pathParam("id"), ctx.pathParam("group"), AdminRoutes.actor(ctx, caller)));
  }
}
