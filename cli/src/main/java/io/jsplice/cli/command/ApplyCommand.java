package io.jsplice.cli.command;

import io.jsplice.model.control.FailureException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jsplice apply PID UPDATE}: ksplice-apply for a JVM. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Apply an update to a running JVM, in memory only (the jars on disk stay as they are).",
      "jsplice reads the update and verifies its signature, then sends its bytes to the "
          + "agent, which verifies them again, checks that the running code is what the update was "
          + "built against (in every class loader), waits for threads to leave the code it "
          + "replaces, switches all classes at once and reads back that the JVM runs the new code. "
          + "Loads the jsplice agent into the JVM first if it is not there."
    })
public final class ApplyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The target JVM's process id.")
  String pid;

  @Parameters(index = "1", paramLabel = "UPDATE", description = "The signed update file.")
  Path update;

  @Option(
      names = "--trust",
      paramLabel = "CERT",
      split = ",",
      description =
          "Certificates the update must be signed by (default: $JSPLICE_TRUST,"
              + " /etc/jsplice/trusted, ~/.jsplice/trusted). The agent then checks the update"
              + " against these, not against its own trust=; with none, its own trust= decides.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--service", description = "Service name the agent records updates under.")
  String service;

  @Option(
      names = "--retries",
      defaultValue = ApplyArguments.DEFAULT_RETRIES,
      description = "Checks for busy threads after the first (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--retry-delay",
      defaultValue = ApplyArguments.DEFAULT_RETRY_DELAY,
      paramLabel = "MS",
      description = "First delay between checks; doubles each time (default: ${DEFAULT-VALUE} ms).")
  long retryDelay;

  @Option(
      names = "--force",
      description = "Switch even if threads stay in replaced code; they finish it on the old code.")
  boolean force;

  @Option(
      names = "--accept-partial",
      description =
          "Apply even if the fix would be only partly in force: state the program built before the"
              + " update (named in the update's report) may keep the old behaviour. Without it such"
              + " an update is refused (exit 38) and nothing changes.")
  boolean acceptPartial;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "List every class.")
  boolean verbose;

  @Override
  public Integer call() throws FailureException {
    return arguments().run(spec.commandLine().getOut());
  }

  /** What picocli read from the command line. */
  ApplyArguments arguments() {
    return new ApplyArguments(
        pid, update, trust, service, retries, retryDelay, force, acceptPartial, json, verbose);
  }
}
