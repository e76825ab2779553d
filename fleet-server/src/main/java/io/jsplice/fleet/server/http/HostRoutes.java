package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.HostState;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.UpdateList;
import io.jsplice.fleet.server.ApiException;
import io.jsplice.fleet.server.ServerLimits;
import io.jsplice.fleet.server.store.AuditLog;
import io.jsplice.fleet.server.store.HostIdentity;
import io.jsplice.fleet.server.store.Hosts;
import io.jsplice.fleet.server.store.Inventory;
import io.jsplice.fleet.server.store.LastSeen;
import io.jsplice.fleet.server.store.Updates;
import java.util.List;

/**
 * The routes a host calls: enrolment (with the fleet's key), then, with its own secret, its update
 * list (conditional on its ETag), the packages in it, and its reports. A deactivated or pending
 * host may report, and is refused the list and every package with a message that says why.
 */
public final class HostRoutes {
  private final Hosts hosts;
  private final Updates updates;
  private final Inventory inventory;
  private final LastSeen lastSeen;
  private final ServerLimits limits;
  private final HostState newHosts;
  private final int pollSeconds;

  /**
   * @param newHosts the state a new host starts in: the server's enrolment policy
   * @param pollSeconds the poll interval the server tells hosts at enrolment
   */
  public HostRoutes(
      Hosts hosts,
      Updates updates,
      Inventory inventory,
      LastSeen lastSeen,
      ServerLimits limits,
      HostState newHosts,
      int pollSeconds) {
    this.hosts = hosts;
    this.updates = updates;
    this.inventory = inventory;
    this.lastSeen = lastSeen;
    this.limits = limits;
    this.newHosts = newHosts;
    this.pollSeconds = pollSeconds;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(FleetPaths.ENROL, Access.ENROL, this::enrol),
        Route.get(FleetPaths.HOST_SELF, Access.HOST, this::self),
        Route.get(FleetPaths.HOST_UPDATES, Access.HOST, this::updateList),
        Route.get(FleetPaths.HOST_PACKAGE, Access.HOST, this::updatePackage),
        Route.post(FleetPaths.HOST_REPORT, Access.HOST, this::report));
  }

  private void enrol(Context ctx, Caller caller) {
    Enrolment request = Bodies.json(ctx, Enrolment.class, limits.requestBytes());
    Replies.json(
        ctx,
        201,
        hosts.enrol(request, newHosts, pollSeconds, new AuditLog.Actor("enrolment key", ctx.ip())));
  }

  private void self(Context ctx, Caller caller) {
    Replies.ok(ctx, hosts.summary(host(caller).name()));
  }

  private void updateList(Context ctx, Caller caller) {
    HostIdentity host = active(host(caller));
    String etag = host.etag();
    ctx.header("ETag", etag);
    ctx.header("Cache-Control", "no-cache");
    if (matches(ctx.header("If-None-Match"), etag)) {
      ctx.status(304);
      return;
    }
    UpdateList list = updates.forHost(host);
    Replies.ok(ctx, list);
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag) || tag.equals("*")) {
        return true;
      }
    }
    return false;
  }

  private void updatePackage(Context ctx, Caller caller) {
    HostIdentity host = active(host(caller));
    String id = ctx.pathParam("id");
    if (!updates.appliesTo(host, id)) {
      throw ApiException.notFound(
          "update \"" + id + "\" is not in host " + host.name() + "'s update list");
    }
    PublishedUpdate update = updates.get(id);
    if (!updates.forHost(host).updates().stream()
        .anyMatch(u -> u.id().equals(id) && u.approved())) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "update " + id + " is not approved for group " + host.group() + " yet");
    }
    byte[] content = updates.content(id);
    ctx.header(FleetPaths.SHA256_HEADER, update.sha256());
    ctx.header("ETag", "\"" + update.sha256() + "\"");
    ctx.status(200).contentType("application/java-archive").result(content);
  }

  private void report(Context ctx, Caller caller) {
    HostIdentity host = host(caller);
    HostReport report = Bodies.json(ctx, HostReport.class, limits.reportBytes());
    Replies.ok(ctx, inventory.store(host, report));
  }

  private HostIdentity host(Caller caller) {
    HostIdentity host = ((Caller.Host) caller).host();
    lastSeen.seen(host.id());
    return host;
  }

  /** The host, if it may get updates; otherwise the refusal that says why. */
  static HostIdentity active(HostIdentity host) {
    return switch (host.state()) {
      case ACTIVE -> host;
      case DEACTIVATED ->
          throw new ApiException(
              ErrorCode.HOST_DEACTIVATED,
              "host "
                  + host.name()
                  + " is deactivated"
                  + (host.reason() == null || host.reason().isBlank()
                      ? ""
                      : " (" + host.reason() + ")")
                  + ": it gets no updates until an admin activates it again");
      case PENDING ->
          throw new ApiException(
              ErrorCode.HOST_PENDING,
              "host "
                  + host.name()
                  + " waits for an admin to activate it (jsplice host activate "
                  + host.name()
                  + "); it gets no updates until then");
    };
  }
}
