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

  static void failure(PrintWriter out, PrintWriter err, FailureException failure, boolean json) {
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", false);
      value.put("cause", failure.failure());
      value.put("message", failure.getMessage());
      json(out, value);
    } else {
      err.println("jsplice: " + failure.getMessage());
      err.flush();
    }
  }
}
