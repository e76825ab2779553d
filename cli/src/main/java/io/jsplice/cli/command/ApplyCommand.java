package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.render.CappedList;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      "The agent verifies the signature, checks that the running code is what the update was",
      "built against (in every class loader), waits for threads to leave the code it replaces,",
      "switches all classes at once and reads back that the JVM runs the new code.",
      "Loads the jsplice agent into the JVM first if it is not there."
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
          "Certificates the agent trusts, when this loads it (default: $JSPLICE_TRUST,"
              + " /etc/jsplice/trusted, ~/.jsplice/trusted). An agent already running keeps its own.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--service", description = "Service name the agent records updates under.")
  String service;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "Checks for busy threads after the first (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--retry-delay",
      defaultValue = "100",
      paramLabel = "MS",
      description = "First delay between checks; doubles each time (default: ${DEFAULT-VALUE} ms).")
  long retryDelay;

  @Option(
      names = "--force",
      description = "Switch even if threads stay in replaced code; they finish it on the old code.")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description = "List every class.")
  boolean verbose;

  @Override
  public Integer call() throws CliException {
    long target = AgentConnection.pid(pid);
    Path file = update.toAbsolutePath();
    try {
      UpdateFile.open(file); // refuse a damaged file before touching the JVM
    } catch (UpdateRejectedException e) {
      throw Failures.of(e);
    }
    AgentClient client = AgentConnection.connectOrLoad(target, trust, service);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("op", ControlProtocol.OP_APPLY);
    request.put("file", file.toString());
    request.put("retries", retries);
    request.put("retryDelayMillis", retryDelay);
    request.put("force", force);
    JsonObject reply = AgentConnection.send(client, request);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, reply.asMap());
      return 0;
    }
    out.println(
        "applied "
            + reply.string("applied")
            + " to JVM "
            + target
            + " (checks "
            + reply.number("checkMillis")
            + " ms, switch "
            + reply.number("switchMillis")
            + " ms)");
    out.println(
        "  "
            + reply.strings("switched").size()
            + " loaded classes switched, "
            + reply.strings("pending").size()
            + " not loaded yet (patched when they load)");
    CappedList.print(out, "  switched ", reply.strings("switched"), verbose);
    if (verbose) {
      CappedList.print(out, "  pending  ", reply.strings("pending"), true);
    }
    for (String f : reply.strings("forcedFrames")) {
      out.println("  ! still on old code: " + f);
    }
    for (String w : reply.strings("warnings")) {
      out.println("  ! " + w);
    }
    printRecord(reply.optObject("record"), out);
    return 0;
  }

  /** The reply's {@code record} part: where the update was recorded for restarts, or why not. */
  static void printRecord(JsonObject record, PrintWriter out) {
    if (record == null) {
      return;
    }
    if (record.bool("changed", false)) {
      out.println(
          "  recorded for service "
              + record.string("service")
              + " in "
              + record.string("file")
              + " (reapplied when a JVM of it starts with the agent)");
    }
    if (record.optString("warning") != null) {
      out.println("  ! " + record.string("warning"));
    }
  }
}
