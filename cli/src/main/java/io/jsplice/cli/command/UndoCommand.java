package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.client.AgentClient;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.RecordChange;
import io.jsplice.protocol.message.UndoReply;
import java.io.PrintWriter;
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
      "Undo an applied update: its classes go back to the code below it (the original code, "
          + "or an earlier update's), its added state is dropped.",
      "Refused while a later update depends on it."
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
  public Integer call() throws FailureException {
    long target = AgentConnection.pid(pid);
    AgentClient client =
        AgentConnection.ifPresent(target)
            .orElseThrow(
                () ->
                    new FailureException(
                        FailureCause.WRONG_STATE,
                        "JVM "
                            + target
                            + " has no jsplice agent, so no update is applied to undo"));
    UndoReply reply = client.undo(id, new Quiescence(retries, retryDelay, force));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.reply(out, reply, Map.of());
      return 0;
    }
    out.println(
        "undid " + id + " in JVM " + target + "; restored " + reply.restored().size() + " classes");
    RecordChange record = reply.record();
    if (record != null && record.changed()) {
      out.println("  removed from the record of service " + record.service());
    } else if (record != null && record.warning() != null) {
      out.println("  ! " + record.warning());
    }
    return 0;
  }
}
