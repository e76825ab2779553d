package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.CappedList;
import io.jsplice.client.AgentClient;
import io.jsplice.client.VerifiedUpdate;
import io.jsplice.model.InForce;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.RecordChange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
    long target = AgentConnection.pid(pid);
    List<Path> keys = AgentConnection.trust(trust);
    // Read once and checked here, before any JVM is touched; these bytes are what is sent.
    VerifiedUpdate verified = VerifiedUpdate.read(update, keys);
    AgentClient client = AgentConnection.connectOrLoad(target, keys, service);
    ApplyReply reply =
        client.apply(verified, new Quiescence(retries, retryDelay, force), acceptPartial);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.reply(out, reply, Map.of());
      return 0;
    }
    List<String> notInForce = reply.notInForce() == null ? List.of() : reply.notInForce();
    boolean partly = reply.inForce() == InForce.PARTLY;
    out.println(
        "applied "
            + reply.applied()
            + " to JVM "
            + target
            + (partly
                ? ", PARTLY IN FORCE (accepted): "
                    + notInForce.size()
                    + " part(s) keep the old behaviour"
                : "")
            + " (checks "
            + reply.checkMillis()
            + " ms, switch "
            + reply.switchMillis()
            + " ms)");
    out.println(
        "  "
            + reply.switched().size()
            + " loaded classes switched, "
            + reply.pending().size()
            + " not loaded yet (patched when they load)");
    CappedList.print(out, "  switched ", reply.switched(), verbose);
    if (verbose) {
      CappedList.print(out, "  pending  ", reply.pending(), true);
    }
    for (String f : reply.forcedFrames()) {
      out.println("  ! still on old code: " + f);
    }
    for (String w : reply.warnings()) {
      out.println("  ! " + w);
    }
    for (String n : notInForce) {
      out.println("  ! not in force: " + n);
    }
    printRecord(reply.record(), out);
    return 0;
  }

  /** The reply's {@code record} part: where the update was recorded for restarts, or why not. */
  static void printRecord(RecordChange record, PrintWriter out) {
    if (record == null) {
      return;
    }
    if (record.changed()) {
      out.println(
          "  recorded for service "
              + record.service()
              + " in "
              + record.file()
              + " (reapplied when a JVM of it starts with the agent)");
    }
    if (record.warning() != null) {
      out.println("  ! " + record.warning());
    }
  }
}
