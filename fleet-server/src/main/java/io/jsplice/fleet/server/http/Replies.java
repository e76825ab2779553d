package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.api.ApiError;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.server.ApiException;

/** How every reply is written: JSON bodies, and one {@link ApiError} shape for every refusal. */
public final class Replies {
  public static final String JSON = "application/json";

  private Replies() {}

  public static void json(Context ctx, int status, Object value) {
    ctx.status(status).contentType(JSON).result(FleetJson.write(value));
  }

  public static void ok(Context ctx, Object value) {
    json(ctx, 200, value);
  }

  public static void error(Context ctx, ApiException e) {
    json(
        ctx,
        e.code().status(),
        new ApiError(e.code().status(), e.code(), e.getMessage(), e.failureCause()));
  }
}
