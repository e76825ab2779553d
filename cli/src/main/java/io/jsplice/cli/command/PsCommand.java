package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.client.AgentClient;
import io.jsplice.client.ClientException;
import io.jsplice.client.LocalJvm;
import io.jsplice.client.LocalJvms;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.UpdatesSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  public Integer call() throws FailureException {
    List<JvmJson> rows = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf("%-8s %-6s %-28s %s%n", "PID", "AGENT", "UPDATES", "MAIN");
    }
    for (LocalJvm jvm : LocalJvms.list()) {
      List<String> applied = new ArrayList<>();
      List<String> effective = new ArrayList<>();
      String problem = null;
      LocalJvm.AgentPresence agent = jvm.agent();
      if (agent == LocalJvm.AgentPresence.PRESENT) {
        try {
          Optional<AgentClient> client = AgentConnection.agents().find(jvm.pid());
          UpdatesSummary updates =
              client.isEmpty()
                  ? null
                  : client.get().withTimeout(Duration.ofSeconds(5)).status().updates();
          if (updates != null) {
            applied.addAll(updates.applied());
            updates.effective().forEach(e -> effective.add(e.line()));
          }
        } catch (ClientException e) {
          problem = e.getMessage();
        }
      } else if (agent == LocalJvm.AgentPresence.NOT_ANSWERING) {
        problem = "it holds a jsplice control socket that does not answer as its agent";
      }
      rows.add(
          new JvmJson(
              jvm.pid(),
              jvm.mainClass(),
              jvm.displayName(),
              jvm.process().user(),
              jvm.javaVersion(),
              agent == LocalJvm.AgentPresence.PRESENT,
              agent,
              applied,
              effective,
              problem));
      if (!json) {
        out.printf(
            "%-8d %-6s %-28s %s%n",
            jvm.pid(),
            switch (agent) {
              case PRESENT -> "yes";
              case ABSENT -> "no";
              case NOT_ANSWERING -> "!";
              case UNKNOWN -> "?";
            },
            applied.isEmpty() ? "-" : String.join(",", applied),
            jvm.mainClass());
        effective.forEach(e -> out.println("         " + e));
        if (problem != null) {
          out.println("         ! " + problem);
        }
      }
    }
    if (json) {
      Output.ok(out, new PsJson(rows));
    }
    return 0;
  }

  /** One JVM as {@code ps --json} lists it. */
  private record JvmJson(
      long pid,
      String main,
      String displayName,
      String user,
      String javaVersion,
      boolean agent,
      LocalJvm.AgentPresence agentState,
      List<String> applied,
      List<String> effective,
      String problem) {}

  /** What {@code ps --json} prints after {@code "ok": true}. */
  private record PsJson(List<JvmJson> jvms) {}
}
