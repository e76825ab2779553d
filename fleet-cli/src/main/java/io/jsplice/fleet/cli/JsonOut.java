package io.jsplice.fleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jsplice.fleet.api.FleetJson;
import java.io.PrintWriter;

/** {@code --json} output of the fleet verbs: the API's record, with {@code "ok": true} first. */
final class JsonOut {
  private JsonOut() {}

  /**
   * @param value a record of the fleet API (or of a verb): a JSON object in {@link FleetJson}'s
   *     form
   */
  static void print(PrintWriter out, Record value) {
    ObjectNode json = FleetJson.mapper().createObjectNode().put("ok", true);
    json.setAll((ObjectNode) FleetJson.mapper().valueToTree(value));
    out.println(FleetJson.writePretty(json));
    out.flush();
  }
}
