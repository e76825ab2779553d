package io.jsplice.fleet.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jsplice.fleet.api.FleetJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --json} output of the fleet verbs: the API's record, with {@code "ok": true} first. */
final class JsonOut {
  private JsonOut() {}

  static void print(PrintWriter out, Object value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("ok", true);
    map.putAll(FleetJson.mapper().convertValue(value, new TypeReference<Map<String, Object>>() {}));
    out.println(FleetJson.writePretty(map));
    out.flush();
  }
}
