package io.jsplice.fleet.server.http;

import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One route of the API: method, path template (as {@link io.jsplice.fleet.api.FleetPaths} has it),
 * who may call it, and what serves it. The server registers exactly these; the OpenAPI test reads
 * the same list.
 */
public record Route(HandlerType method, String path, Access access, ApiHandler handler) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
  }

  public static Route get(String path, Access access, ApiHandler handler) {
    return new Route(HandlerType.GET, path, access, handler);
  }

  public static Route post(String path, Access access, ApiHandler handler) {
    return new Route(HandlerType.POST, path, access, handler);
  }

  public static Route put(String path, Access access, ApiHandler handler) {
    return new Route(HandlerType.PUT, path, access, handler);
  }

  public static Route delete(String path, Access access, ApiHandler handler) {
    return new Route(HandlerType.DELETE, path, access, handler);
  }
}
