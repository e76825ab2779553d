package io.jsplice.cli.command;

import io.jsplice.model.control.FailureException;
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
      defaultValue = ApplyArguments.DEFAULT_RETRIES,
      description = "Checks for busy threads after the first.")
  int retries;

  @Option(
      names = "--retry-delay",
      defaultValue = ApplyArguments.DEFAULT_RETRY_DELAY,
      paramLabel = "MS",
      description = "First delay between checks.")
  long retryDelay;

  @Option(names = "--force", description = "Switch back even if threads stay in the patched code.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    return arguments().run(spec.commandLine().getOut());
  }

  /** What picocli read from the command line. */
  UndoArguments arguments() {
    return new UndoArguments(pid, id, retries, retryDelay, force, json);
  }
}
