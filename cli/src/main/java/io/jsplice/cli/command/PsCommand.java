package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.attach.AgentException;
import io.jsplice.cli.attach.LocalJvms;
import io.jsplice.model.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsplice ps}: the local JVMs, whether the agent is in them, and what it applied. */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description = "List local JVMs, whether the jsplice agent is present, and their updates.")
public final class PsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() throws CliException {
    List<Object> rows = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("%-8s %-6s %-28s %s%n", "PID", "AGENT", "UPDATES", "MAIN");
    }
    for (LocalJvms.LocalJvm jvm : LocalJvms.list()) {
      List<String> applied = new ArrayList<>();
      List<String> effective = new ArrayList<>();
      String problem = null;
      if (jvm.agentPresent()) {
        try {
          JsonObject status =
              AgentClient.forPid(jvm.pid()).withTimeout(Duration.ofSeconds(5)).status();
          JsonObject updates = status.optObject("updates");
          if (updates != null) {
            applied.addAll(updates.strings("applied"));
            updates.objects("effective").forEach(e -> effective.add(e.string("line")));
          }
        } catch (AgentException e) {
          problem = e.getMessage();
        }
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("pid", jvm.pid());
      row.put("main", jvm.mainClass());
      row.put("displayName", jvm.displayName());
      row.put("agent", jvm.agentPresent());
      row.put("applied", applied);
      row.put("effective", effective);
      row.put("problem", problem);
      rows.add(row);
      if (!json) {
        out.printf(
            "%-8d %-6s %-28s %s%n",
            jvm.pid(),
            jvm.agentPresent() ? "yes" : "no",
            applied.isEmpty() ? "-" : String.join(",", applied),
            jvm.mainClass());
        effective.forEach(e -> out.println("         " + e));
        if (problem != null) {
          out.println("         ! " + problem);
        }
      }
    }
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("ok", true);
      value.put("jvms", rows);
      Output.json(out, value);
    }
    return 0;
  }
}
