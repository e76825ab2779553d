package io.jsplice.fleet.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;
import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.server.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies within a limit per route, and JSON into the wire records, turning every way
 * a body can be wrong into a {@code 400} or {@code 413} with one line that says what.
 */
public final class Bodies {
  private Bodies() {}

  /**
   * The body's bytes.
   *
   * @throws ApiException {@code TOO_LARGE} when the body is (or announces to be) longer than {@code
   *     limit}; nothing of it is kept
   */
  public static byte[] read(Context ctx, long limit, String what) {
    long announced = ctx.req().getContentLengthLong();
    if (announced > limit) {
      throw tooLarge(what, announced, limit);
    }
    try (InputStream in = ctx.bodyInputStream()) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.max(0, Math.min(announced, 1 << 16)));
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > limit) {
          throw tooLarge(what, total, limit);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the " + what + ": " + e.getMessage());
    }
  }

  private static ApiException tooLarge(String what, long size, long limit) {
    return new ApiException(
        ErrorCode.TOO_LARGE,
        "the "
            + what
            + " is larger than this server accepts ("
            + (size > limit ? "more than " : "")
            + limit
            + " bytes)");
  }

  /**
   * The body as a {@code type}.
   *
   * @throws ApiException {@code BAD_REQUEST} for an empty body or malformed or invalid JSON
   */
  public static <T> T json(Context ctx, Class<T> type, long limit) {
    String what = type.getSimpleName() + " request";
    byte[] body = read(ctx, limit, what);
    if (body.length == 0) {
      throw ApiException.badRequest("the request has no body; send a JSON " + type.getSimpleName());
    }
    return parse(body, type);
  }

  /** Like {@link #json}, but an empty body reads as {@code empty}. */
  public static <T> T jsonOr(Context ctx, Class<T> type, long limit, T empty) {
    byte[] body = read(ctx, limit, type.getSimpleName() + " request");
    return body.length == 0 ? empty : parse(body, type);
  }

  private static <T> T parse(byte[] body, Class<T> type) {
    try {
      T value = FleetJson.read(body, type);
      if (value == null) {
        throw ApiException.badRequest("the body is JSON null; send a " + type.getSimpleName());
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw ApiException.badRequest(
          "invalid " + type.getSimpleName() + ": " + oneLine(cause.getMessage()));
    } catch (MismatchedInputException e) {
      throw ApiException.badRequest(
          "invalid "
              + type.getSimpleName()
              + (e.getPath().isEmpty() ? "" : " at " + path(e))
              + ": "
              + oneLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw ApiException.badRequest(
          "malformed JSON" + where + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the JSON body: " + oneLine(e.getMessage()));
    }
  }

  private static String path(MismatchedInputException e) {
    StringBuilder out = new StringBuilder();
    for (var reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() > 300 ? line.substring(0, 299) + "…" : line;
  }
}
