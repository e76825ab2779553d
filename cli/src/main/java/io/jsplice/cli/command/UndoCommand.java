package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice undo PID ID}: ksplice-undo for a JVM. */
@Command(
    name = "undo",
    mixinStandardHelpOptions = true,
    description = {
      "Undo an applied update: its classes go back to the code below it (the original code,",
      "or an earlier update's), its added state is dropped. Refused while a later update",
      "depends on it."
    })
public final class UndoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The target JVM's process id.")
  String pid;

  @Parameters(index = "1", paramLabel = "ID", description = "The update's id (see jsplice show).")
  String id;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "Checks for busy threads after the first.")
  int retries;

  @Option(
      names = "--retry-delay",
      defaultValue = "100",
      paramLabel = "MS",
      description = "First delay between checks.")
  long retryDelay;

  @Option(names = "--force", description = "Switch back even if threads stay in the patched code.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws CliException {
    long target = AgentConnection.pid(pid);
    AgentClient client = AgentConnection.ifPresent(target);
    if (client == null) {
      throw new CliException(
          FailureCause.WRONG_STATE,
          "JVM " + target + " has no jsplice agent, so no update is applied to undo");
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", ControlProtocol.OP_UNDO);
    request.put("id", id);
    request.put("retries", retries);
    request.put("retryDelayMillis", retryDelay);
    request.put("force", force);
    JsonObject reply = AgentConnection.send(client, request);
    if (json) {
      Output.json(spec.commandLine().getOut(), reply.asMap());
    } else {
      spec.commandLine()
          .getOut()
          .println(
              "undid "
                  + id
                  + " in JVM "
                  + target
                  + "; restored "
                  + reply.strings("restored").size()
                  + " classes");
      JsonObject record = reply.optObject("record");
      if (record != null && record.bool("changed", false)) {
        spec.commandLine()
            .getOut()
            .println("  removed from the record of service " + record.string("service"));
      } else if (record != null && record.optString("warning") != null) {
        spec.commandLine().getOut().println("  ! " + record.string("warning"));
      }
    }
    return 0;
  }
}
