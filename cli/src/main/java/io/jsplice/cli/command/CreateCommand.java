package io.jsplice.cli.command;

import io.jsplice.cli.CliException;
import io.jsplice.cli.Output;
import io.jsplice.cli.render.UpdateReport;
import io.jsplice.create.ClassFilter;
import io.jsplice.create.DependencyUpgrades;
import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.ReleaseSpec;
import io.jsplice.create.source.SourcePatch;
import io.jsplice.create.source.SourcePatchException;
import io.jsplice.model.UpdateJson;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.UpdateFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
      "Build an update: compare the vulnerable and the fixed code method by method, classify",
      "every change, decide how each applies live, and write a signed update file.",
      "",
      "Each side is a jar, a class directory, several of them, or group:artifact:version.",
      "Or give the library's sources and a unified diff, as ksplice-create takes them.",
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
              + " the fixed release).")
  boolean liveSubset;

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
  public Integer call() throws CliException {
    UpdateCreator.Request request =
        new UpdateCreator.Request(
                id, description, cves, requires, new ClassFilter(classes, exclude), hooks)
            .withLiveSubset(liveSubset);
    UpdateCreator.Created created;
    List<String> warnings = new ArrayList<>();
    try (MavenArtifacts maven =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), offline)) {
      ClassSet[] sides =
          input.releases != null ? releases(maven, request, warnings) : patch(maven, warnings);
      request = request.withDependencies(runningDependencies(maven, warnings));
      created = UpdateCreator.create(sides[0], sides[1], request);
    } catch (IOException
        | SourcePatchException
        | IllegalArgumentException
        | io.jsplice.create.hook.HookCompiler.HookCompileException e) {
      throw new CliException(FailureCause.BAD_REQUEST, e.getMessage(), e);
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
      throw new CliException(
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
              + created.leftOut().size()
              + " classes: "
              + String.join(", ", created.leftOut().keySet()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("ok", true);
      result.put("file", output.toString());
      result.put("signed", key.present());
      result.put("warnings", warnings);
      result.put("notes", notes);
      result.put("update", UpdateJson.encode(update.update()));
      Output.json(out, result);
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
          "left out (in force after a restart on the fixed release): "
              + leftOut.size()
              + (leftOut.size() == 1 ? " class" : " classes"));
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

  /**
   * The libraries the vulnerable release runs with: --dependencies, else the Maven dependencies of
   * --from coordinates, else the source patch's classpath after the library jar; empty if none.
   */
  private ClassSet runningDependencies(MavenArtifacts maven, List<String> warnings)
      throws IOException {
    List<Path> jars = new ArrayList<>(dependencies);
    List<MavenCoordinates> libraries =
        input.releases == null
            ? List.of()
            : new ArrayList<>(ReleaseSpec.coordinates(input.releases.from));
    if (input.releases != null) {
      libraries.addAll(addedDependencies);
    }
    if (jars.isEmpty() && !libraries.isEmpty()) {
      // The update's own jars are on its sides, not among what it runs with.
      java.util.Set<String> own = new java.util.HashSet<>();
      for (MavenCoordinates library : libraries) {
        own.add(maven.resolve(library).toAbsolutePath().toString());
      }
      for (MavenCoordinates library : libraries) {
        try {
          List<Path> classpath = maven.resolveCompileClasspath(library);
          for (Path jar : classpath.subList(1, classpath.size())) {
            if (!own.contains(jar.toAbsolutePath().toString()) && !jars.contains(jar)) {
              jars.add(jar);
            }
          }
        } catch (io.jsplice.create.source.MavenResolutionException e) {
          // The link check is then limited to the library and the JDK; say so and go on.
          warnings.add(
              "dependencies left out of the link check (give them with --dependencies): "
                  + e.getMessage());
        }
      }
    } else if (jars.isEmpty() && input.patch != null && input.patch.classpath.size() > 1) {
      jars.addAll(input.patch.classpath.subList(1, input.patch.classpath.size()));
    }
    Map<String, byte[]> classes = new TreeMap<>();
    for (Path jar : jars) {
      try {
        ClassSetReader.read(jar).classes().forEach(classes::putIfAbsent);
      } catch (IOException e) {
        warnings.add("dependency " + jar + " left out of the link check: " + e.getMessage());
      }
    }
    return new ClassSet("dependencies", classes, List.of());
  }

  /**
   * Both sides as given, plus the dependencies the fixed side needs at a newer release (unless
   * --no-dependency-updates, when the warning names the options that would add them).
   */
  private ClassSet[] releases(
      MavenArtifacts maven, UpdateCreator.Request request, List<String> warnings)
      throws IOException {
    ClassSet pre = ReleaseSpec.read(input.releases.from, maven);
    ClassSet post = ReleaseSpec.read(input.releases.to, maven);
    List<DependencyUpgrades.Upgrade> upgrades;
    try {
      upgrades =
          DependencyUpgrades.needed(
              ReleaseSpec.coordinates(input.releases.from),
              ReleaseSpec.coordinates(input.releases.to),
              pre,
              post,
              request.classes(),
              maven);
    } catch (io.jsplice.create.source.MavenResolutionException e) {
      warnings.add(
          "newer dependencies the fixed code may need were not looked for: " + e.getMessage());
      return new ClassSet[] {pre, post};
    }
    if (upgrades.isEmpty()) {
      return new ClassSet[] {pre, post};
    }
    if (noDependencyUpdates) {
      for (DependencyUpgrades.Upgrade u : upgrades) {
        warnings.add("the fixed code needs " + u.describe() + ": add " + u.options());
      }
      return new ClassSet[] {pre, post};
    }
    List<String> from = new ArrayList<>(input.releases.from);
    List<String> to = new ArrayList<>(input.releases.to);
    for (DependencyUpgrades.Upgrade u : upgrades) {
      from.add(u.from().toString());
      to.add(u.to().toString());
      addedDependencies.add(u.from());
      notes.add("also updates " + u.describe());
    }
    return new ClassSet[] {ReleaseSpec.read(from, maven), ReleaseSpec.read(to, maven)};
  }

  /** Dependencies added to both sides because the fixed code needs their newer release. */
  private final List<MavenCoordinates> addedDependencies = new ArrayList<>();

  /** What the operator should know about how the update was built (not warnings). */
  private final List<String> notes = new ArrayList<>();

  /** The shipped classes of the patched units (pre) and the same units compiled with the fix. */
  private ClassSet[] patch(MavenArtifacts maven, List<String> warnings)
      throws IOException, SourcePatchException {
    Path sourcesPath;
    List<Path> classpath = new ArrayList<>(input.patch.classpath);
    if (ReleaseSpec.isCoordinates(input.patch.sources)) {
      MavenCoordinates library = MavenCoordinates.parse(input.patch.sources);
      sourcesPath = maven.resolve(library.withClassifier("sources"));
      if (classpath.isEmpty()) {
        classpath.addAll(maven.resolveCompileClasspath(library));
      }
    } else {
      sourcesPath = Path.of(input.patch.sources);
    }
    if (classpath.isEmpty()) {
      throw new IOException("--classpath is needed: the library jar first, then its dependencies");
    }
    SourcePatch.Result result = new SourcePatch(sourcesPath, input.patch.diff, classpath).compile();
    ClassSet library = ClassSetReader.read(classpath.get(0));
    var mismatches = result.mismatchesWith(library);
    if (!mismatches.isEmpty()) {
      warnings.add(
          "javac here does not reproduce the shipped "
              + mismatches.stream().map(m -> m.className().replace('/', '.')).toList()
              + "; the update compares the shipped code with code compiled here, so compiler"
              + " differences show up as changes (compile with the JDK the library was built with)");
    }
    // The fixed release is the library with the recompiled units replaced.
    Map<String, byte[]> fixed = new TreeMap<>(library.classes());
    result.compiledBefore().classes().keySet().forEach(fixed::remove);
    fixed.putAll(result.compiledAfter().classes());
    ClassSet pre = library;
    ClassSet post = new ClassSet(result.compiledAfter().origin(), fixed, library.artifacts());
    return new ClassSet[] {pre, post};
  }
}
