package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.CappedList;
import io.jsplice.cli.render.ServiceRecordReport;
import io.jsplice.client.AgentClient;
import io.jsplice.model.Verdict;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.ShowReply;
import io.jsplice.protocol.message.TripwiresReply;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice show PID}: what runs in a JVM, as uptrack-show and uptrack-uname say it. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show the updates applied to a JVM: when, by whom, what each changed, classes waiting "
          + "to load, the effective version of each patched library, and the service's record: "
          + "what a restart applies again, and which classes were patched as they loaded and which "
          + "did not match; and the exploit attempts the updates' tripwires blocked.",
      "Never loads the agent. With --service, reads a service's record from disk. Only the "
          + "JVM's user and root can tell: another user gets exit 21, not an answer."
    })
public final class ShowCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PID",
      description = "The target JVM's process id.")
  String pid;

  @Option(
      names = "--service",
      description =
          "Show the record of this service from disk instead, without a JVM: the updates a JVM"
              + " of it applies again when it starts (e.g. after a crash).")
  String service;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "With --service: the agents' state directory (default: ~/.jsplice/state).")
  Path state;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "List every class.")
  boolean verbose;

  @Override
  public Integer call() throws FailureException {
    if (service != null) {
      return RecordOnDisk.show(service, state, json, spec.commandLine().getOut());
    }
    if (pid == null) {
      throw new FailureException(FailureCause.BAD_REQUEST, "name a JVM's PID, or --service NAME");
    }
    long target = AgentConnection.pid(pid);
    Optional<AgentClient> client = AgentConnection.ifPresent(target);
    PrintWriter out = spec.commandLine().getOut();
    if (client.isEmpty()) {
      if (json) {
        Output.ok(out, new NoAgentJson(false, List.of()));
      } else {
        out.println("JVM " + target + ": no jsplice agent, no update applied");
      }
      return 0;
    }
    ShowReply reply = client.get().show();
    TripwiresReply tripwires = client.get().tripwires(0);
    if (json) {
      Output.reply(out, reply, new AgentJson(true, tripwires));
      return 0;
    }
    out.println("JVM " + target + ": " + reply.updates().size() + " update(s) applied");
    for (EffectiveVersion effective : reply.effective()) {
      out.println("  " + effective.line());
    }
    for (ShowReply.Update u : reply.updates()) {
      out.println();
      out.println(u.id() + "  " + u.description());
      if (!u.cves().isEmpty()) {
        out.println("  fixes    " + String.join(", ", u.cves()));
      }
      out.println(
          "  applied  "
              + u.appliedAt()
              + " by "
              + u.appliedBy()
              + (u.reapplied() ? "; reapplied when this JVM started" : ""));
      out.println("  verdict  " + u.verdict());
      if (u.inForce() == io.jsplice.model.InForce.PARTLY) {
        java.util.List<String> notInForce = u.notInForce();
        out.println(
            "  in force PARTLY (accepted at apply): "
                + notInForce.size()
                + " part(s) keep the old behaviour");
        notInForce.forEach(n -> out.println("           - " + n));
      } else if (u.inForce() != null && u.verdict() == Verdict.LIVE_NEEDS_HOOK) {
        out.println(
            "  in force fully: state built before the update is covered by the update's hook(s) "
                + String.join(", ", u.hooks()));
      } else if (u.inForce() != null) {
        out.println("  in force fully");
      }
      CappedList.print(out, "  switched ", u.switched(), verbose);
      if (verbose) {
        CappedList.print(out, "  pending  ", u.pending(), true);
      } else if (!u.pending().isEmpty()) {
        out.println("  pending  " + u.pending().size() + " classes, patched when they load");
      }
      u.dependsOn().forEach(d -> out.println("  builds on " + d));
      u.warnings().forEach(w -> out.println("  ! " + w));
    }
    List<String> patched = new ArrayList<>();
    List<String> notPatched = new ArrayList<>();
    for (ShowReply.LoadEvent load : reply.loadedAfterApply()) {
      String origin = " (" + load.origin() + ")";
      if (load.update() != null) {
        patched.add("patched at load: " + load.className() + " with " + load.update() + origin);
      } else {
        notPatched.add(
            "NOT patched at load: " + load.className() + ": " + load.mismatch() + origin);
      }
    }
    if (!patched.isEmpty() || !notPatched.isEmpty()) {
      out.println();
      // A class left unpatched is always named: the operator must see every one.
      CappedList.print(out, "", notPatched, true);
      CappedList.print(out, "", patched, verbose);
    }
    printTripwires(tripwires, out);
    if (reply.service() != null) {
      out.println();
      ServiceRecordReport.print(reply.service(), out);
    }
    return 0;
  }

  /** The exploit attempts the updates' tripwires blocked, newest first; nothing when none. */
  private void printTripwires(TripwiresReply tripwires, PrintWriter out) {
    if (tripwires.hits().isEmpty() && tripwires.suppressed() == 0) {
      return;
    }
    out.println();
    out.println(
        "exploit attempts blocked: "
            + (tripwires.hits().size() + tripwires.suppressed())
            + (tripwires.suppressed() == 0
                ? ""
                : " ("
                    + tripwires.suppressed()
                    + " only counted: over the rate, or older than the newest kept)"));
    List<String> lines = new ArrayList<>();
    for (TripwiresReply.Hit hit : tripwires.hits()) {
      lines.add(
          0,
          hit.at()
              + "  "
              + hit.updateId()
              + (hit.cve() == null ? "" : " (" + hit.cve() + ")")
              + " at "
              + hit.site()
              + " on thread "
              + hit.thread()
              + (hit.detail() == null || hit.detail().isEmpty() ? "" : ": " + hit.detail()));
    }
    CappedList.print(out, "  ", lines, verbose);
  }

  /** What {@code show --json} prints after {@code "ok": true} for a JVM without the agent. */
  private record NoAgentJson(boolean agent, List<String> updates) {}

  /** What {@code show --json} prints after the agent's reply. */
  private record AgentJson(boolean agent, TripwiresReply tripwires) {}
}
