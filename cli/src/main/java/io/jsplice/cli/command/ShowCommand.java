package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.render.CappedList;
import io.jsplice.cli.render.ServiceRecordReport;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      "Show the updates applied to a JVM: when, by whom, what each changed, classes waiting to",
      "load, the effective version of each patched library, and the service's record: what a",
      "restart applies again, and which classes were patched as they loaded and which did not",
      "match. Never loads the agent. With --service, reads a service's record from disk."
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
  public Integer call() throws CliException {
    if (service != null) {
      return RecordOnDisk.show(service, state, json, spec.commandLine().getOut());
    }
    if (pid == null) {
      throw new CliException(FailureCause.BAD_REQUEST, "name a JVM's PID, or --service NAME");
    }
    long target = AgentConnection.pid(pid);
    AgentClient client = AgentConnection.ifPresent(target);
    PrintWriter out = spec.commandLine().getOut();
    if (client == null) {
      if (json) {
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("ok", true);
        none.put("agent", false);
        none.put("updates", List.of());
        Output.json(out, none);
      } else {
        out.println("JVM " + target + ": no jsplice agent, no update applied");
      }
      return 0;
    }
    JsonObject reply = AgentConnection.send(client, Map.of("op", ControlProtocol.OP_SHOW));
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>(reply.asMap());
      value.put("agent", true);
      Output.json(out, value);
      return 0;
    }
    List<JsonObject> updates = reply.objects("updates");
    out.println("JVM " + target + ": " + updates.size() + " update(s) applied");
    for (JsonObject effective : reply.objects("effective")) {
      out.println("  " + effective.string("line"));
    }
    for (JsonObject u : updates) {
      out.println();
      out.println(u.string("id") + "  " + u.optString("description"));
      if (!u.strings("cves").isEmpty()) {
        out.println("  fixes    " + String.join(", ", u.strings("cves")));
      }
      out.println(
          "  applied  "
              + u.string("appliedAt")
              + " by "
              + u.string("appliedBy")
              + (u.bool("reapplied", false) ? "; reapplied when this JVM started" : ""));
      out.println("  verdict  " + u.string("verdict"));
      CappedList.print(out, "  switched ", u.strings("switched"), verbose);
      if (verbose) {
        CappedList.print(out, "  pending  ", u.strings("pending"), true);
      } else if (!u.strings("pending").isEmpty()) {
        out.println(
            "  pending  " + u.strings("pending").size() + " classes, patched when they load");
      }
      u.strings("dependsOn").forEach(d -> out.println("  builds on " + d));
      u.strings("warnings").forEach(w -> out.println("  ! " + w));
    }
    List<String> patched = new java.util.ArrayList<>();
    List<String> notPatched = new java.util.ArrayList<>();
    for (JsonObject load : reply.objects("loadedAfterApply")) {
      String update = load.optString("update");
      String origin = " (" + load.string("origin") + ")";
      if (update != null) {
        patched.add("patched at load: " + load.string("class") + " with " + update + origin);
      } else {
        notPatched.add(
            "NOT patched at load: "
                + load.string("class")
                + ": "
                + load.optString("mismatch")
                + origin);
      }
    }
    if (!patched.isEmpty() || !notPatched.isEmpty()) {
      out.println();
      // A class left unpatched is always named: the operator must see every one.
      CappedList.print(out, "", notPatched, true);
      CappedList.print(out, "", patched, verbose);
    }
    JsonObject service = reply.optObject("service");
    if (service != null) {
      out.println();
      ServiceRecordReport.print(service, out);
    }
    return 0;
  }
}
