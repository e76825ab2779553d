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
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;

/**
 * The {@code jsplice} command as picocli models it ({@link Jsplice}'s annotations and the verbs'):
 * for help, the man pages and every command line that {@link Jsplice#plainVerb} does not read.
 */
public final class CommandModel {
  private CommandModel() {}

  /**
   * The verbs, in the order help lists them. Each is made ({@link #newVerb}) only when it runs or
   * help lists it: a command builds the model of its own verb, not that of every verb (picocli
   * reads each verb's annotations reflectively, and {@code create}'s would load the builder's
   * classes). Names, not constructor references: a reference to a constructor loads its class.
   */
  static final List<String> VERBS =
      List.of(
          "create", "inspect", "keygen", "sign", "apply", "undo", "show", "verify", "stale", "ps",
          "demo", "help");

  private static Object newVerb(String name) {
    return switch (name) {
      case "create" -> new CreateCommand();
      case "inspect" -> new InspectCommand();
      case "keygen" -> new KeygenCommand();
      case "sign" -> new SignCommand();
      case "apply" -> new ApplyCommand();
      case "undo" -> new UndoCommand();
      case "show" -> new ShowCommand();
      case "verify" -> new VerifyCommand();
      case "stale" -> new StaleCommand();
      case "ps" -> new PsCommand();
      case "demo" -> new DemoCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException("no verb " + name);
    };
  }

  /**
   * The verbs the command line needs: the one it names first; none when it only asks for the
   * version; else all of them (help, errors): this module's, then those of other modules ({@link
   * VerbProvider}, the fleet's).
   *
   * @return whether the command's own help may be printed: then it needs every verb
   */
  private static boolean addVerbs(CommandLine cli, String[] args) {
    String first = args.length == 0 ? null : args[0];
    if (args.length == 1 && (first.equals("--version") || first.equals("-V"))) {
      return false;
    }
    if (first != null && !first.equals("help") && VERBS.contains(first)) {
      cli.addSubcommand(first, newVerb(first));
      return false;
    }
    List<VerbProvider.Verb> others = new ArrayList<>();
    ServiceLoader.load(VerbProvider.class).forEach(provider -> others.addAll(provider.verbs()));
    boolean one = first != null && others.stream().anyMatch(verb -> verb.name().equals(first));
    if (!one) {
      VERBS.forEach(name -> cli.addSubcommand(name, newVerb(name)));
    }
    for (VerbProvider.Verb verb : others) {
      if (!one || verb.name().equals(first)) {
        cli.addSubcommand(verb.name(), verb.command().get());
      }
    }
    return !one;
  }

  /**
   * The whole command as {@code jsplice --help} describes it: every verb, the fleet's included, and
   * the exit codes. The man pages and the shell completion shipped in the distribution archive are
   * generated from it, so that they say what the help says.
   */
  public static CommandLine full() {
    return command(new String[0]);
  }

  /**
   * The command as {@code args} need it: with only the verbs they name ({@link #addVerbs}), and the
   * exit codes in its help only when that help may be printed.
   */
  private static CommandLine command(String[] args) {
    CommandLine cli = new CommandLine(new Jsplice());
    if (addVerbs(cli, args)) {
      cli.getCommandSpec().usageMessage().footer(ExitCodes.footer().toArray(String[]::new));
    }
    return cli;
  }

  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = command(args);
    // Help as wide as the terminal (80 columns when there is none), wrapped by picocli alone.
    cli.setUsageHelpAutoWidth(true);
    cli.setOut(out);
    cli.setErr(err);
    // Help in plain text: every character printed passes TerminalSafeWriter, escapes would show.
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            Jsplice.failed(
                e, parseResult.originalArgs(), commandLine.getOut(), commandLine.getErr()));
    return cli.execute(args);
  }
}
