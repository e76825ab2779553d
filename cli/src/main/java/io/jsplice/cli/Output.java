package io.jsplice.cli;

import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.json.RecordCodec;
import io.jsplice.protocol.ControlProtocol;
import java.io.PrintWriter;

/** How results and failures are printed: text for people, one JSON object for scripts. */
public final class Output {
  private Output() {}

  private static final JsonObject OK = JsonObject.empty().with("ok", true);

  /** A result as {@code --json} prints it: {@code "ok": true}, then the result's fields. */
  public static void ok(PrintWriter out, Record result) {
    json(out, OK.withMissing(RecordCodec.toJson(result)));
  }

  /**
   * An agent's reply as {@code --json} prints it: {@code "ok": true}, the reply's fields, then
   * {@code extra}'s (null: none) that the reply does not have.
   */
  public static void reply(PrintWriter out, Record reply, Record extra) {
    JsonObject value = OK.withMissing(RecordCodec.toJson(reply));
    json(out, extra == null ? value : value.withMissing(RecordCodec.toJson(extra)));
  }

  private static void json(PrintWriter out, JsonObject value) {
    out.print(Json.writePretty(value));
    out.flush();
  }

  /**
   * A failure: one line on stderr, then with {@code verbose} each of its details on a line of its
   * own; {@code --json} prints them all.
   */
  static void failure(
      PrintWriter out, PrintWriter err, FailureException failure, boolean json, boolean verbose) {
    if (json) {
      json(
          out,
          ControlProtocol.failureJson(failure.failure(), failure.getMessage(), failure.details()));
    } else {
      err.println("jsplice: " + failure.getMessage());
      if (verbose) {
        failure.details().forEach(line -> err.println("  " + line));
      }
      err.flush();
    }
  }
}
