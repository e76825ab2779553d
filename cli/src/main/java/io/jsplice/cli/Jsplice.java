package io.jsplice.cli;

import io.jsplice.cli.command.ApplyArguments;
import io.jsplice.cli.command.PlainVerb;
import io.jsplice.cli.command.UndoArguments;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jsplice} command: one verb per job, as Ksplice has one tool per verb. A plain line of
 * {@code apply} or {@code undo}, and {@code --version} alone, run without picocli ({@link
 * #plainVerb}); every other line runs through picocli's model of the command ({@link
 * CommandModel}). No public method here names a picocli type: the JVM resolves those of the main
 * class's public methods before {@code main}.
 */
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

  private static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Optional<PlainVerb> plain = plainVerb(args);
    if (plain.isPresent()) {
      try {
        return plain.get().run(out);
      } catch (Exception e) {
        return failed(e, Arrays.asList(args), out, err);
      }
    }
    return CommandModel.execute(args, out, err);
  }

  /**
   * The verb a plain command line runs without picocli ({@code apply}, {@code undo}, {@code
   * --version}); empty for every other line, which picocli reads.
   */
  static Optional<PlainVerb> plainVerb(String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    return switch (args[0]) {
      case "apply" -> ApplyArguments.read(rest).map(PlainVerb.class::cast);
      case "undo" -> UndoArguments.read(rest).map(PlainVerb.class::cast);
      case "--version", "-V" ->
          rest.isEmpty() ? Optional.of(Jsplice::printVersion) : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** What {@code --version} prints, as picocli prints it ({@link Version}). */
  private static int printVersion(PrintWriter out) {
    out.println(version());
    return 0;
  }

  private static String version() {
    String version = Jsplice.class.getPackage().getImplementationVersion();
    return "jsplice " + (version == null ? "development build" : version);
  }

  /** A verb's failure as the command reports it, and its exit code. */
  static int failed(Exception e, List<String> args, PrintWriter out, PrintWriter err) {
    if (e instanceof FailureException failure) {
      boolean json = args.contains("--json");
      boolean verbose = args.contains("--verbose") || args.contains("-v");
      Output.failure(out, err, failure, json, verbose);
      return failure.failure().exitCode();
    }
    err.println("jsplice: internal error: " + e + " (please report this with the command)");
    e.printStackTrace(err);
    return FailureCause.INTERNAL.exitCode();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }

  static String joinArgs(String[] args) {
    return Arrays.stream(args).collect(Collectors.joining(" "));
  }
}
