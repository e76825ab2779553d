package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.EnrolmentKey;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.server.store.Credentials;
import java.nio.file.Path;
import java.util.List;

/**
 * The admin's route over the fleet's enrolment key: rotating it, when a machine that holds it may
 * not enrol any more (a host deactivated or removed, a leaked key).
 */
public final class EnrolmentKeyRoutes {
  private final Credentials credentials;
  private final Path dataDir;

  /**
   * @param dataDir this server's data directory, where the new key replaces {@code enrol.key}
   */
  public EnrolmentKeyRoutes(Credentials credentials, Path dataDir) {
    this.credentials = credentials;
    this.dataDir = dataDir;
  }

  public List<Route> routes() {
    return List.of(Route.post(FleetPaths.ENROL_KEY, Access.ADMIN, this::rotate));
  }

  private void rotate(Context ctx, Caller caller) throws Exception {
    String key = credentials.rotateEnrolmentKey(dataDir, AdminRoutes.actor(ctx, caller));
    Replies.ok(ctx, new EnrolmentKey(key));
  }
}
