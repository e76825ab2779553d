package io.jsplice.cli;

import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.Json;
import io.jsplice.protocol.codec.RecordCodec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How results and failures are printed: text for people, one JSON object for scripts. */
public final class Output {
  private Output() {}

  public static void json(PrintWriter out, Map<String, Object> value) {
    out.print(Json.writePretty(value));
    out.flush();
  }

  /**
   * An agent's reply as {@code --json} prints it: {@code "ok": true}, the reply's fields, then
   * {@code extra}'s.
   */
  public static void reply(PrintWriter out, Record reply, Map<String, Object> extra) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("ok", true);
    value.putAll(RecordCodec.toJson(reply));
    value.putAll(extra);
    json(out, value);
  }

  /**
   * A failure: one line on stderr, then with {@code verbose} each of its details on a line of its
   * own; {@code --json} prints them all.
   */
  static void failure(
      PrintWriter out, PrintWriter err, FailureException failure, boolean json, boolean verbose) {
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", false);
      value.put("cause", failure.failure());
      value.put("message", failure.getMessage());
      if (!failure.details().isEmpty()) {
        value.put("details", failure.details());
      }
      json(out, value);
    } else {
      err.println("jsplice: " + failure.getMessage());
      if (verbose) {
        failure.details().forEach(line -> err.println("  " + line));
      }
      err.flush();
    }
  }
}
