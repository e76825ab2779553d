package io.jsplice.cli.render;

import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;

/**
 * The service-record part of {@code jsplice show}: the updates recorded for the JVM's service,
 * which of them the JVM runs, and what became of each when it started.
 */
public final class ServiceRecordReport {
  private ServiceRecordReport() {}

  /** Prints the {@code service} object of the agent's {@code show} reply. */
  public static void print(JsonObject service, PrintWriter out) {
    String name = service.optString("name");
    if (name == null) {
      out.println("service: none; " + service.optString("note"));
      return;
    }
    out.println(
        "service "
            + name
            + " (record "
            + service.optString("recordFile")
            + "; "
            + (service.bool("startedWithAgent", false)
                ? "this JVM started with the agent, so a restart reapplies it)"
                : "the agent was loaded into the running JVM, so a restart with the same"
                    + " command line does not reapply it)"));
    if (service.optString("problem") != null) {
      out.println("  ! " + service.string("problem"));
    }
    if (service.objects("recorded").isEmpty()) {
      out.println("  no update recorded");
    }
    for (JsonObject entry : service.objects("recorded")) {
      out.println(
          "  recorded "
              + entry.string("id")
              + "  applied "
              + entry.string("appliedAt")
              + " by "
              + entry.string("appliedBy")
              + (entry.bool("inJvm", false) ? "" : "  (not applied in this JVM)"));
    }
    if (service.bool("reapplying", false)) {
      out.println("  reapplying the recorded updates (started with the JVM, not finished yet)");
    }
    for (JsonObject outcome : service.objects("reappliedAtStart")) {
      out.println(
          outcome.bool("reapplied", false)
              ? "  at start: reapplied " + outcome.string("id")
              : "  at start: SKIPPED "
                  + outcome.string("id")
                  + ": "
                  + outcome.optString("problem"));
    }
    out.flush();
  }
}
