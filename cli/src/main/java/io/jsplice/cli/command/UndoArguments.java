package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.client.AgentClient;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.protocol.message.Quiescence;
import io.jsplice.protocol.message.RecordChange;
import io.jsplice.protocol.message.UndoReply;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code jsplice undo} is asked to do, and doing it: from picocli's reading of the line
 * ({@link UndoCommand}) or from {@link #read}'s.
 *
 * @param pid the target as given, checked when the undo runs
 * @param id the update's id
 */
public record UndoArguments(
    String pid, String id, int retries, long retryDelay, boolean force, boolean json)
    implements PlainVerb {
  private static final PlainCommandLine LINE =
      new PlainCommandLine(
          Set.of("--force", "--json"), Set.of("--retries", "--retry-delay"), Set.of(), 2);

  /**
   * The arguments after {@code undo} as picocli would read them into {@link UndoCommand}; empty
   * when the line is not plain ({@link PlainCommandLine}) and picocli must read it.
   */
  public static Optional<UndoArguments> read(List<String> args) {
    Optional<PlainCommandLine.Reading> line = LINE.read(args);
    if (line.isEmpty()) {
      return Optional.empty();
    }
    PlainCommandLine.Reading read = line.get();
    Optional<Long> retries =
        PlainCommandLine.number(
            read.value("--retries", ApplyArguments.DEFAULT_RETRIES), Integer.MAX_VALUE);
    Optional<Long> delay =
        PlainCommandLine.number(
            read.value("--retry-delay", ApplyArguments.DEFAULT_RETRY_DELAY), Long.MAX_VALUE);
    if (retries.isEmpty() || delay.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new UndoArguments(
            read.positionals().get(0),
            read.positionals().get(1),
            retries.get().intValue(),
            delay.get(),
            read.flags().contains("--force"),
            read.flags().contains("--json")));
  }

  @Override
  public int run(PrintWriter out) throws FailureException {
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
    if (json) {
      Output.reply(out, reply, null);
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
