package io.jsplice.cli;

import io.jsplice.cli.command.ApplyCommand;
import io.jsplice.cli.command.CreateCommand;
import io.jsplice.cli.command.DemoCommand;
import io.jsplice.cli.command.InspectCommand;
import io.jsplice.cli.command.KeygenCommand;
import io.jsplice.cli.command.PsCommand;
import io.jsplice.cli.command.ShowCommand;
import io.jsplice.cli.command.SignCommand;
import io.jsplice.cli.command.StaleCommand;
import io.jsplice.cli.command.UndoCommand;
import io.jsplice.cli.command.VerifyCommand;
import io.jsplice.model.control.FailureCause;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsplice} command: one verb per job, as Ksplice has one tool per verb. */
@Command(
    name = "jsplice",
    mixinStandardHelpOptions = true,
    versionProvider = Jsplice.Version.class,
    description = "Live security updates for running JVMs, without a restart.",
    subcommands = {
      CreateCommand.class,
      InspectCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      ApplyCommand.class,
      UndoCommand.class,
      ShowCommand.class,
      VerifyCommand.class,
      StaleCommand.class,
      PsCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0   success",
      "  1   internal error",
      "  2   bad arguments or request",
      "  10  update not signed            11  signature does not match (tampered)",
      "  12  signed by an untrusted key   13  not a readable update file",
      "  20  no such JVM                  21  agent cannot be loaded or reached",
      "  30  running code differs from what the update was built against (run-pre mismatch)",
      "  31  code busy: a thread is inside code the update replaces",
      "  32  change cannot be applied live 33  JVM verifier rejected the new code",
      "  34  a later update depends on it  35  an update hook failed",
      "  36  update not in effect after the switch 37  already applied / not applied",
      "  38  fix would be only partly in force (state built before it keeps the old behaviour);",
      "      nothing changed: apply --accept-partial to apply it anyway",
      "  40  verify: a restart would run different code (upgraded on disk)",
      "  41  verify: a restart would lose a fix",
      "  42  stale: a JVM runs code that differs from disk (or, without its agent, possibly does)"
    })
public final class Jsplice {

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the CLI and returns its exit code; tests call this instead of {@link #main}. What it
   * prints goes through a {@link TerminalSafeWriter}.
   */
  public static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr) {
    PrintWriter out = new PrintWriter(new TerminalSafeWriter(rawOut), true);
    PrintWriter err = new PrintWriter(new TerminalSafeWriter(rawErr), true);
    try {
      return execute(args, out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Jsplice());
    cli.setOut(out);
    cli.setErr(err);
    // Help in plain text: every character printed passes TerminalSafeWriter, escapes would show.
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof CliException failure) {
            boolean json = Arrays.asList(parseResult.originalArgs()).contains("--json");
            Output.failure(commandLine.getOut(), commandLine.getErr(), failure, json);
            return failure.failureCause().exitCode();
          }
          commandLine
              .getErr()
              .println("jsplice: internal error: " + e + " (please report this with the command)");
          e.printStackTrace(commandLine.getErr());
          return FailureCause.INTERNAL.exitCode();
        });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Jsplice.class.getPackage().getImplementationVersion();
      return new String[] {"jsplice " + (version == null ? "development build" : version)};
    }
  }

  static String joinArgs(String[] args) {
    return Arrays.stream(args).collect(Collectors.joining(" "));
  }
}
