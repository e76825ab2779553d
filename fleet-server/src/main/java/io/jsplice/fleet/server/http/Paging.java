package io.jsplice.fleet.server.http;

import io.javalin.http.Context;
import io.jsplice.fleet.server.ApiException;

/** The {@code after} and {@code limit} query parameters of the paged routes. */
final class Paging {
  private Paging() {}

  static int limit(Context ctx, int fallback, int max) {
    long value = number(ctx, "limit", fallback);
    if (value < 1 || value > max) {
      throw ApiException.badRequest("limit must be between 1 and " + max + "; got " + value);
    }
    return (int) value;
  }

  static long after(Context ctx) {
    long value = number(ctx, "after", 0);
    if (value < 0) {
      throw ApiException.badRequest("after must not be negative; got " + value);
    }
    return value;
  }

  private static long number(Context ctx, String name, long fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number; got \"" + text + "\"");
    }
  }
}
