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
import io.jsplice.cli.spi.VerbProvider;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsplice} command: one verb per job, as Ksplice has one tool per verb. */
@Command(
    name = "jsplice",
    mixinStandardHelpOptions = true,
    versionProvider = Jsplice.Version.class,
    description = "Live security updates for running JVMs, without a restart.",
    footerHeading = "%nExit codes:%n")
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

  /**
   * The verbs, in the order help lists them. Each is made only when it runs or help lists it: a
   * command builds the model of its own verb, not that of every verb (picocli reads each verb's
   * annotations reflectively, and {@code create}'s would load the builder's classes).
   */
  static final Map<String, Supplier<Object>> VERBS = verbs();

  private static Map<String, Supplier<Object>> verbs() {
    Map<String, Supplier<Object>> verbs = new LinkedHashMap<>();
    verbs.put("create", CreateCommand::new);
    verbs.put("inspect", InspectCommand::new);
    verbs.put("keygen", KeygenCommand::new);
    verbs.put("sign", SignCommand::new);
    verbs.put("apply", ApplyCommand::new);
    verbs.put("undo", UndoCommand::new);
    verbs.put("show", ShowCommand::new);
    verbs.put("verify", VerifyCommand::new);
    verbs.put("stale", StaleCommand::new);
    verbs.put("ps", PsCommand::new);
    verbs.put("demo", DemoCommand::new);
    verbs.put("help", CommandLine.HelpCommand::new);
    return Collections.unmodifiableMap(verbs);
  }

  /**
   * The verb named first on the command line, or all of them when none is (help, errors): this
   * module's, then those of other modules ({@link VerbProvider}, the fleet's).
   */
  private static void addVerbs(CommandLine cli, String[] args) {
    String first = args.length == 0 ? null : args[0];
    if (first != null && !first.equals("help") && VERBS.containsKey(first)) {
      cli.addSubcommand(first, VERBS.get(first).get());
      return;
    }
    List<VerbProvider.Verb> others = new ArrayList<>();
    ServiceLoader.load(VerbProvider.class).forEach(provider -> others.addAll(provider.verbs()));
    boolean one = first != null && others.stream().anyMatch(verb -> verb.name().equals(first));
    if (!one) {
      VERBS.forEach((name, verb) -> cli.addSubcommand(name, verb.get()));
    }
    for (VerbProvider.Verb verb : others) {
      if (!one || verb.name().equals(first)) {
        cli.addSubcommand(verb.name(), verb.command().get());
      }
    }
  }

  private static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Jsplice());
    addVerbs(cli, args);
    cli.getCommandSpec().usageMessage().footer(ExitCodes.footer().toArray(String[]::new));
    // Help as wide as the terminal (80 columns when there is none), wrapped by picocli alone.
    cli.setUsageHelpAutoWidth(true);
    cli.setOut(out);
    cli.setErr(err);
    // Help in plain text: every character printed passes TerminalSafeWriter, escapes would show.
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof FailureException failure) {
            boolean json = Arrays.asList(parseResult.originalArgs()).contains("--json");
            Output.failure(commandLine.getOut(), commandLine.getErr(), failure, json);
            return failure.failure().exitCode();
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
