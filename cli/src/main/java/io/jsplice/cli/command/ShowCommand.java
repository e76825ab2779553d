package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.render.CappedList;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;
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
      "load, and the effective version of each patched library. Never loads the agent."
    })
public final class ShowCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The target JVM's process id.")
  String pid;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "List every class.")
  boolean verbose;

  @Override
  public Integer call() throws CliException {
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
      out.println("  applied  " + u.string("appliedAt") + " by " + u.string("appliedBy"));
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
    List<String> loads = new java.util.ArrayList<>();
    for (JsonObject load : reply.objects("loadedAfterApply")) {
      String update = load.optString("update");
      loads.add(
          load.string("class")
              + (update != null
                  ? " patched by " + update
                  : " NOT patched: " + load.optString("mismatch"))
              + " ("
              + load.string("origin")
              + ")");
    }
    if (!loads.isEmpty()) {
      out.println();
      CappedList.print(out, "loaded later: ", loads, verbose);
    }
    return 0;
  }
}
