package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.cli.render.UpdateReport;
import io.jsplice.create.ClassFilter;
import io.jsplice.create.UpdateCreator;
import io.jsplice.create.UpdateInputs;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.SourcePatchException;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jsplice create}: build an update from a vulnerable and a fixed version, or a patch. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Build an update: compare the vulnerable and the fixed code method by method, classify "
          + "every change, decide how each applies live, and write a signed update file.",
      "Each side is a jar, a class directory, several of them, or group:artifact:version. Or "
          + "give the library's sources and a unified diff, as ksplice-create takes them."
    },
    sortOptions = false)
public final class CreateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @ArgGroup(exclusive = false)
    Releases releases;

    @ArgGroup(exclusive = false)
    Patch patch;
  }

  static final class Releases {
    @Option(
        names = "--from",
        required = true,
        paramLabel = "CODE",
        description =
            "The vulnerable code (jar, directory, or group:artifact:version); repeatable.")
    List<String> from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "CODE",
        description = "The fixed code, in the same form; repeatable.")
    List<String> to;
  }

  static final class Patch {
    @Option(
        names = "--sources",
        required = true,
        paramLabel = "SOURCES",
        description =
            "The library's sources: -sources.jar, a folder, or group:artifact:version"
                + " (then its sources jar and classpath are resolved).")
    String sources;

    @Option(
        names = "--patch",
        required = true,
        paramLabel = "DIFF",
        description = "A unified diff of the fix.")
    Path diff;

    @Option(
        names = "--classpath",
        paramLabel = "PATH",
        split = ":",
        description = "The library jar first, then what it compiles against.")
    List<Path> classpath = new ArrayList<>();
  }

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "UPDATE",
      description = "Where to write the update.")
  Path output;

  @Mixin KeyOptions key;

  @Option(
      names = "--id",
      description = "Update id (default: the first CVE, else artifact-version).")
  String id;

  @Option(names = "--description", description = "One line for operators.")
  String description;

  @Option(
      names = "--cve",
      paramLabel = "CVE",
      split = ",",
      description = "CVE ids the update fixes.")
  List<String> cves = new ArrayList<>();

  @Option(
      names = "--requires",
      paramLabel = "ID",
      split = ",",
      description = "Updates this one builds on.")
  List<String> requires = new ArrayList<>();

  @Option(
      names = "--classes",
      paramLabel = "PATTERN",
      split = ",",
      description =
          "Only these classes (glob, e.g. org.example.Foo*): a minimal update from a larger release diff.")
  List<String> classes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "PATTERN",
      split = ",",
      description =
          "Leave these classes out (glob), e.g. unrelated changes that cannot apply live.")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--dependencies",
      paramLabel = "PATH",
      split = ":",
      description =
          "Jars the vulnerable code runs with, to check that the update links against them"
              + " (default: the Maven dependencies of --from coordinates).")
  List<Path> dependencies = new ArrayList<>();

  @Option(
      names = "--hook",
      paramLabel = "SOURCE",
      description =
          "Java source of a hook (implements io.jsplice.bootstrap.UpdateHook): code run around"
              + " apply and undo for state only the program knows; repeatable.")
  List<Path> hooks = new ArrayList<>();

  @Option(
      names = "--live-subset",
      description =
          "Where part of the release cannot apply live, build the largest part that can and uses"
              + " nothing left out; the report lists what is left out (in force after a restart on"
              + " the fixed release). Applying it takes --accept-partial: jsplice cannot tell"
              + " whether the fix is among what is left out.")
  boolean liveSubset;

  @Option(
      names = "--in-force-subset",
      description =
          "As --live-subset, and leave out as well the classes that would be only partly in force"
              + " (objects or state the program built before the update keeping the old"
              + " behaviour) and what uses them: all the update holds is then in force; the report"
              + " lists each class left out and why (check that the fix is not among them).")
  boolean inForceSubset;

  @Option(
      names = "--first-load",
      description =
          "Keep the classes whose change a loaded class cannot take (a new superclass, interfaces"
              + " or kind) instead of refusing them: each is installed whole, as the fixed release"
              + " has it, as it first loads, in every class loader and after a restart. Live where"
              + " no class loader has loaded it yet: apply refuses a JVM where one has, naming it;"
              + " undo refuses once one has loaded it with the fixed code.")
  boolean firstLoad;

  @Option(
      names = "--no-tripwires",
      description =
          "Do not put exploit tripwires in the update. By default, where the fixed code throws and"
              + " the vulnerable code had no such throw in the same method, the update records the"
              + " rejected input as an exploit attempt just before the throw (jsplice show, the"
              + " agent's tripwires, the fleet's events); no other path changes.")
  boolean noTripwires;

  @Option(
      names = "--no-dependency-updates",
      description =
          "Do not add newer releases of dependencies that the fixed code needs (found from the"
              + " releases' POMs); name them instead.")
  boolean noDependencyUpdates;

  @Option(
      names = "--offline",
      description = "Resolve Maven coordinates from the local repository only.")
  boolean offline;

  @Option(names = "--json", description = "Print the update as JSON instead of the report.")
  boolean json;

  @Option(
      names = "--brief",
      description = "Print the verdict and the summary, not every class (the default).")
  boolean brief;

  @Option(names = "--verbose", description = "Print every class with its changes and notes.")
  boolean verbose;

  @Override
  public Integer call() throws FailureException {
    UpdateCreator.Request request =
        new UpdateCreator.Request(
                id, description, cves, requires, new ClassFilter(classes, exclude), hooks)
            .withLiveSubset(liveSubset)
            .withInForceSubset(inForceSubset)
            .withTripwires(!noTripwires)
            .withFirstLoad(firstLoad);
    UpdateCreator.Created created;
    List<String> warnings = new ArrayList<>();
    try (MavenArtifacts maven =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), offline)) {
      UpdateInputs.Resolved inputs =
          UpdateInputs.resolve(
              sides(), dependencies, maven, request.classes(), !noDependencyUpdates);
      warnings.addAll(inputs.warnings());
      notes.addAll(inputs.notes());
      created =
          UpdateCreator.create(
              inputs.pre(), inputs.post(), request.withDependencies(inputs.dependencies()));
    } catch (IOException
        | SourcePatchException
        | IllegalArgumentException
        | io.jsplice.create.hook.HookCompiler.HookCompileException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
    UpdatePackage update = created.update();
    try {
      if (key.present()) {
        UpdateFile.write(update, key.load(), output);
      } else {
        Files.write(output, UpdateFile.unsignedJar(update));
        warnings.add(
            "the update is not signed: agents refuse it until `jsplice sign "
                + output
                + " --key KEYSTORE`");
      }
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "cannot write " + output + ": " + e.getMessage(), e);
    }
    if (!created.excluded().isEmpty()) {
      warnings.add("left out by --classes/--exclude: " + String.join(", ", created.excluded()));
    }
    List<String> notLive =
        update.update().classes().stream()
            .filter(c -> c.applicability().verdict() == io.jsplice.model.Verdict.NOT_LIVE)
            .map(c -> c.name())
            .toList();
    if (!notLive.isEmpty()) {
      warnings.add(
          "cannot be applied live because of "
              + notLive.size()
              + (notLive.size() == 1 ? " class" : " classes")
              + "; --live-subset builds the largest part that can"
              + (notLive.size() <= 5
                  ? ", or leave them out: --exclude " + String.join(",", notLive)
                  : ""));
    }
    if (!created.leftOut().isEmpty() && (json || verbose)) {
      notes.add(
          "left out (in force after a restart on the fixed release): "
              + counted(created.leftOut().keySet())
              + ": "
              + String.join(", ", created.leftOut().keySet()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.ok(
          out,
          new CreatedJson(
              output.toString(),
              key.present(),
              warnings,
              notes,
              UpdateJson.encode(update.update())));
    } else {
      if (!verbose) {
        printFirstScreen(update.update(), created.leftOut(), out);
      }
      (verbose ? UpdateReport.FULL : UpdateReport.BRIEF)
          .print(update.update(), key.present() ? "signed" : "none (unsigned)", out);
      notes.forEach(n -> out.println(n));
      out.println("written to " + output);
      warnings.forEach(w -> spec.commandLine().getErr().println("jsplice: warning: " + w));
    }
    return 0;
  }

  /**
   * "3 classes", "2 classes, 1 method": what a subset leaves out, by kind (a member's name carries
   * its descriptor).
   */
  private static String counted(java.util.Collection<String> leftOut) {
    long methods = leftOut.stream().filter(n -> n.contains("(")).count();
    long classes = leftOut.size() - methods;
    List<String> parts = new ArrayList<>();
    if (classes > 0 || methods == 0) {
      parts.add(classes + (classes == 1 ? " class" : " classes"));
    }
    if (methods > 0) {
      parts.add(methods + (methods == 1 ? " method" : " methods"));
    }
    return String.join(", ", parts);
  }

  /**
   * The verdict first, with what blocks it (by cause, then at most a dozen classes), and what a
   * live subset left out; the full detail is in {@code --verbose}, {@code inspect} and {@code
   * --json}.
   */
  private void printFirstScreen(
      io.jsplice.model.Update update, Map<String, String> leftOut, PrintWriter out) {
    String more = "--verbose, jsplice inspect " + output + " or --json for every class";
    if (io.jsplice.cli.render.RefusalSummary.applies(update)) {
      io.jsplice.cli.render.RefusalSummary.print(update, more, out);
    } else {
      out.println(update.applicability().verdict().description());
    }
    if (!leftOut.isEmpty()) {
      out.println(
          "left out (in force after a restart on the fixed release): " + counted(leftOut.keySet()));
      int shown = 0;
      for (Map.Entry<String, String> e : leftOut.entrySet()) {
        if (shown++ == 12) {
          out.println("  ... and " + (leftOut.size() - 12) + " more; " + more);
          break;
        }
        String why = e.getValue();
        if (why.startsWith(e.getKey())) {
          why = why.substring(e.getKey().length()).replaceFirst("^\\.", "").strip();
        }
        out.println(
            "  " + e.getKey() + ": " + (why.length() <= 160 ? why : why.substring(0, 157) + "..."));
      }
    }
    out.println();
  }

  /** What the operator should know about how the update was built (not warnings). */
  private final List<String> notes = new ArrayList<>();

  private UpdateInputs.Sides sides() {
    return input.releases != null
        ? new UpdateInputs.Releases(input.releases.from, input.releases.to)
        : new UpdateInputs.Patch(input.patch.sources, input.patch.diff, input.patch.classpath);
  }

  /** What {@code create --json} prints after {@code "ok": true}. */
  private record CreatedJson(
      String file, boolean signed, List<String> warnings, List<String> notes, JsonObject update) {}
}
