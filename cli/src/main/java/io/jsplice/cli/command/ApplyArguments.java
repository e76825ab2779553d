package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.CappedList;
import io.jsplice.client.AgentClient;
import io.jsplice.client.Agents;
import io.jsplice.client.UpdatePayload;
import io.jsplice.client.VerifiedUpdate;
import io.jsplice.model.InForce;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.protocol.message.ApplyReply;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.RecordChange;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code jsplice apply} is asked to do, and doing it: from picocli's reading of the line
 * ({@link ApplyCommand}, for help and for every line that is not plain) or from {@link #read}'s.
 *
 * @param pid the target as given, checked when the apply runs
 * @param trust as given; empty: the default trust
 * @param service may be null
 */
public record ApplyArguments(
    String pid,
    Path update,
    List<Path> trust,
    String service,
    int retries,
    long retryDelay,
    boolean force,
    boolean acceptPartial,
    boolean json,
    boolean verbose)
    implements PlainVerb {
  static final String DEFAULT_RETRIES = "5";
  static final String DEFAULT_RETRY_DELAY = "100";

  private static final PlainCommandLine LINE =
      new PlainCommandLine(
          Set.of("--force", "--accept-partial", "--json", "-v", "--verbose"),
          Set.of("--service", "--retries", "--retry-delay"),
          Set.of("--trust"),
          2);

  public ApplyArguments {
    trust = List.copyOf(trust);
  }

  /**
   * The arguments after {@code apply} as picocli would read them into {@link ApplyCommand}; empty
   * when the line is not plain ({@link PlainCommandLine}) and picocli must read it.
   */
  public static Optional<ApplyArguments> read(List<String> args) {
    Optional<PlainCommandLine.Reading> line = LINE.read(args);
    if (line.isEmpty() || line.get().flags().containsAll(Set.of("-v", "--verbose"))) {
      return Optional.empty(); // -v and --verbose are one option: picocli refuses both
    }
    PlainCommandLine.Reading read = line.get();
    Optional<Long> retries =
        PlainCommandLine.number(read.value("--retries", DEFAULT_RETRIES), Integer.MAX_VALUE);
    Optional<Long> delay =
        PlainCommandLine.number(read.value("--retry-delay", DEFAULT_RETRY_DELAY), Long.MAX_VALUE);
    if (retries.isEmpty() || delay.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ApplyArguments(
              read.positionals().get(0),
              Path.of(read.positionals().get(1)),
              read.list("--trust").stream().map(Path::of).toList(),
              read.values().get("--service"),
              retries.get().intValue(),
              delay.get(),
              read.flags().contains("--force"),
              read.flags().contains("--accept-partial"),
              read.flags().contains("--json"),
              read.flags().contains("-v") || read.flags().contains("--verbose")));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  @Override
  public int run(PrintWriter out) throws FailureException {
    long target = AgentConnection.pid(pid);
    List<Path> keys = AgentConnection.trust(trust);
    // The socket's start-up (its random number generator's, the security providers') on the other
    // core while the update is read; it touches no JVM.
    inBackground(Agents::prepareToConnect);
    // Read once; these bytes are what is sent, and what the agent verifies before it uses them.
    UpdatePayload payload = UpdatePayload.read(update, keys);
    Quiescence quiescence = new Quiescence(retries, retryDelay, force);
    // An agent present gets the apply at once, without a status probe first: one round trip. Its
    // check of the bytes is the one that counts: not repeated here.
    Optional<AgentClient> present = AgentConnection.ifPresent(target);
    Optional<ApplyReply> answered =
        present.isPresent()
            ? present.get().applyIfAnswering(payload, quiescence, acceptPartial)
            : Optional.empty();
    ApplyReply reply;
    if (answered.isPresent()) {
      reply = answered.get();
    } else {
      // The attach's own start-up on the other core meanwhile; it touches no JVM.
      inBackground(Agents::prepareToLoad);
      // No agent is loaded into a JVM for an update it would refuse; the agent takes this check
      // of the bytes against the keys sent instead of making it again (ApplyRequest).
      VerifiedUpdate verified = payload.verify();
      reply =
          AgentConnection.loadFor(target, keys, service).apply(verified, quiescence, acceptPartial);
    }
    if (reply.leftOut() == null) {
      reply = reply.withLeftOut(OlderAgent.leftOut(payload));
    }
    List<String> leftOut = reply.leftOut();
    if (json) {
      Output.reply(out, reply, null);
      return 0;
    }
    List<String> notInForce = reply.notInForce() == null ? List.of() : reply.notInForce();
    boolean partly = reply.inForce() == InForce.PARTLY;
    out.println(
        "applied "
            + reply.applied()
            + " to JVM "
            + target
            + (leftOut.isEmpty()
                ? ""
                : ", WITHOUT " + leftOut.size() + " class(es) of the fixed release (left out)")
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
    if (!leftOut.isEmpty()) {
      out.println(
          "  ! left out by create, these keep the old code until a restart on the fixed release;"
              + " check that the fix is not among them (jsplice inspect says why each is left out):");
      CappedList.print(out, "    left out ", leftOut, verbose);
    }
    printRecord(reply.record(), out);
    return 0;
  }

  /** Runs {@code work} on a thread of its own that does not keep the JVM from exiting. */
  private static void inBackground(Runnable work) {
    Thread thread = new Thread(work, "jsplice-prepare");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The classes of the fixed release an update leaves out, read from the update by the client, for
   * an agent from before {@link ApplyReply#leftOut} that does not say: an update built as a live
   * subset says "applied" for its part only, and the fix may be in what it leaves out
   * (commons-compress 1.26.0's Pack200 check). A class of its own, so that a newer agent's apply
   * never loads the update file's and the certificates' code into the client.
   */
  private static final class OlderAgent {
    private OlderAgent() {}

    /** The agent has checked the bytes; they are only read here. */
    static List<String> leftOut(UpdatePayload payload) {
      try {
        return UpdateFile.open(payload.bytes(), payload.file().toString(), UpdateLimits.DEFAULT)
            .update()
            .update()
            .leftOut();
      } catch (UpdateRejectedException e) {
        return List.of(); // the agent applied it: cannot happen
      }
    }
  }

  /** The reply's {@code record} part: where the update was recorded for restarts, or why not. */
  private static void printRecord(RecordChange record, PrintWriter out) {
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
