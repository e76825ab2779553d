package io.jsplice.cli.render;

import io.jsplice.protocol.message.ServiceState;
import java.io.PrintWriter;

/**
 * The service-record part of {@code jsplice show}: the updates recorded for the JVM's service,
 * which of them the JVM runs, and what became of each when it started.
 */
public final class ServiceRecordReport {
  private ServiceRecordReport() {}

  /** Prints the {@code service} part of the agent's {@code show} reply. */
  public static void print(ServiceState service, PrintWriter out) {
    if (service.name() == null) {
      out.println("service: none; " + service.note());
      return;
    }
    out.println(
        "service "
            + service.name()
            + " (record "
            + service.recordFile()
            + "; "
            + (service.startedWithAgent()
                ? "this JVM started with the agent, so a restart reapplies it)"
                : "the agent was loaded into the running JVM, so a restart with the same"
                    + " command line does not reapply it)"));
    if (service.problem() != null) {
      out.println("  ! " + service.problem());
    }
    if (service.recorded().isEmpty()) {
      out.println("  no update recorded");
    }
    for (ServiceState.Recorded entry : service.recorded()) {
      out.println(
          "  recorded "
              + entry.id()
              + "  applied "
              + entry.appliedAt()
              + " by "
              + entry.appliedBy()
              + (entry.acceptedPartial() ? "  (accepted as partly in force)" : "")
              + (entry.inJvm() ? "" : "  (not applied in this JVM)"));
    }
    if (service.reapplying()) {
      out.println("  reapplying the recorded updates (started with the JVM, not finished yet)");
    }
    for (ServiceState.Outcome outcome : service.reappliedAtStart()) {
      out.println(
          outcome.reapplied()
              ? "  at start: reapplied " + outcome.id()
              : "  at start: SKIPPED " + outcome.id() + ": " + outcome.problem());
    }
    out.flush();
  }
}
