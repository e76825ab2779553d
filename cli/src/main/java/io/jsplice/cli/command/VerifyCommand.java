package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.VerifyReport;
import io.jsplice.client.AgentClient;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.restart.RestartVerdict;
import io.jsplice.protocol.message.VerifyReply;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsplice verify PID}: if this JVM restarted now, would it come back with the same effective
 * code? Exits 0, 40 or 41 ({@link RestartVerdict}).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Before a restart: would this JVM come back with the same effective code?",
      "For each jar and class directory it loaded from: unchanged on disk, or which loaded "
          + "classes now differ (compared by class content, read back from the JVM without "
          + "redefining anything). For each applied or recorded update: would it apply again to "
          + "the disk. Exits 0 (same code after restart), 40 (different code: upgraded on disk, or "
          + "an update no longer needed) or 41 (would lose a fix). Needs the agent in the JVM; "
          + "--attach loads it if absent."
    })
public final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The target JVM's process id.")
  String pid;

  @Option(names = "--attach", description = "Load the agent into the JVM if it is not there.")
  boolean attach;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    long target = AgentConnection.pid(pid);
    AgentClient client =
        attach
            ? AgentConnection.connectOrLoad(target, List.of(), null)
            : AgentConnection.ifPresent(target)
                .orElseThrow(
                    () ->
                        new FailureException(
                            FailureCause.AGENT_UNAVAILABLE,
                            "JVM "
                                + target
                                + " has no jsplice agent, which verify needs to read what it"
                                + " loaded; pass --attach to load it (it changes no class), or run"
                                + " `jsplice stale "
                                + target
                                + "` for what can be told without it"));
    VerifyReply reply = client.verify(true);
    if (json) {
      Output.reply(spec.commandLine().getOut(), reply, new PidJson(target));
    } else {
      VerifyReport.print(target, reply, spec.commandLine().getOut());
    }
    return reply.verdict().exitCode();
  }

  /** What {@code verify --json} prints after the agent's reply. */
  private record PidJson(long pid) {}
}
