package io.jsplice.fleet.server.http;

import io.javalin.http.Context;

/** Serves one route, for a caller whose credential the route's {@link Access} accepted. */
@FunctionalInterface
public interface ApiHandler {
  void handle(Context ctx, Caller caller) throws Exception;
}
