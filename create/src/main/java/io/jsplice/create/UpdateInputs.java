package io.jsplice.create;

import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.MavenResolutionException;
import io.jsplice.create.source.ReleaseSpec;
import io.jsplice.create.source.SourcePatch;
import io.jsplice.create.source.SourcePatchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an update is built from, as an operator or a feed names it, and the policy that turns it
 * into the classes {@link UpdateCreator} compares: either two releases (jars, class directories, or
 * {@code group:artifact:version}, resolved from Maven), or a library's sources and a unified diff
 * of the fix (compiled here, as ksplice-create takes them); plus the libraries the vulnerable code
 * runs with, against which the update's code is link-checked.
 *
 * <p>{@code jsplice create} and the fleet's automatic feed both build updates through it.
 */
public final class UpdateInputs {
  private UpdateInputs() {}

  /** The two sides of the update. */
  public sealed interface Sides permits Releases, Patch {}

  /**
   * Two releases.
   *
   * @param from the vulnerable code: jars, directories or Maven coordinates
   * @param to the fixed code, in the same form
   */
  public record Releases(List<String> from, List<String> to) implements Sides {
    public Releases {
      from = List.copyOf(from);
      to = List.copyOf(to);
    }
  }

  /**
   * A source patch.
   *
   * @param sources a {@code -sources.jar}, a folder, or Maven coordinates (then its sources jar and
   *     class path are resolved)
   * @param diff a unified diff of the fix
   * @param classpath the library jar first, then what it compiles against; may be empty for
   *     coordinates
   */
  public record Patch(String sources, Path diff, List<Path> classpath) implements Sides {
    public Patch {
      classpath = List.copyOf(classpath);
    }
  }

  /**
   * What the sides resolved to.
   *
   * @param pre the vulnerable classes
   * @param post the fixed classes
   * @param dependencies the classes the vulnerable code runs with; may be empty
   * @param warnings what the caller should tell the operator (left-out dependencies, a javac that
   *     does not reproduce the shipped classes, newer dependencies the fixed code needs but that
   *     were not added)
   * @param notes how the update was built, for the operator (dependencies it also updates)
   */
  public record Resolved(
      ClassSet pre,
      ClassSet post,
      ClassSet dependencies,
      List<String> warnings,
      List<String> notes) {
    public Resolved {
      warnings = List.copyOf(warnings);
      notes = List.copyOf(notes);
    }
  }

  /**
   * Resolves {@code sides} and the dependencies.
   *
   * @param dependencies jars the vulnerable code runs with; when empty: the Maven dependencies of
   *     the {@code --from} coordinates, else the patch's class path after the library jar
   * @param classes the classes the update is built from (the newer dependencies are those their
   *     fixed code needs)
   * @param dependencyUpdates whether a dependency the fixed release needs at a newer release is
   *     added to both sides; when false a warning names the options that would add it
   * @throws IOException if an input cannot be read or resolved
   * @throws SourcePatchException if the patch does not apply or compile
   */
  public static Resolved resolve(
      Sides sides,
      List<Path> dependencies,
      MavenArtifacts maven,
      ClassFilter classes,
      boolean dependencyUpdates)
      throws IOException, SourcePatchException {
    List<String> warnings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<MavenCoordinates> added = new ArrayList<>();
    ClassSet[] pair =
        sides instanceof Releases releases
            ? releases(releases, maven, classes, dependencyUpdates, added, warnings, notes)
            : patch((Patch) sides, maven, warnings);
    ClassSet running = runningDependencies(sides, dependencies, added, maven, warnings);
    return new Resolved(pair[0], pair[1], running, warnings, notes);
  }

  /**
   * The libraries the vulnerable release runs with: {@code given}, else the Maven dependencies of
   * the {@code --from} coordinates and of the dependencies added to both sides, else the source
   * patch's class path after the library jar; empty if none.
   */
  private static ClassSet runningDependencies(
      Sides sides,
      List<Path> given,
      List<MavenCoordinates> added,
      MavenArtifacts maven,
      List<String> warnings)
      throws IOException {
    List<Path> jars = new ArrayList<>(given);
    List<MavenCoordinates> libraries = new ArrayList<>();
    if (sides instanceof Releases releases) {
      libraries.addAll(ReleaseSpec.coordinates(releases.from()));
      libraries.addAll(added);
    }
    if (jars.isEmpty() && !libraries.isEmpty()) {
      // The update's own jars are on its sides, not among what it runs with.
      Set<String> own = new HashSet<>();
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
        } catch (MavenResolutionException e) {
          // The link check is then limited to the library and the JDK; say so and go on.
          warnings.add(
              "dependencies left out of the link check (give them with --dependencies): "
                  + e.getMessage());
        }
      }
    } else if (jars.isEmpty() && sides instanceof Patch patch && patch.classpath().size() > 1) {
      jars.addAll(patch.classpath().subList(1, patch.classpath().size()));
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
   * {@code dependencyUpdates} is false, when a warning names the options that would add them).
   */
  private static ClassSet[] releases(
      Releases releases,
      MavenArtifacts maven,
      ClassFilter classes,
      boolean dependencyUpdates,
      List<MavenCoordinates> added,
      List<String> warnings,
      List<String> notes)
      throws IOException {
    ClassSet pre = ReleaseSpec.read(releases.from(), maven);
    ClassSet post = ReleaseSpec.read(releases.to(), maven);
    List<DependencyUpgrades.Upgrade> upgrades;
    try {
      upgrades =
          DependencyUpgrades.needed(
              ReleaseSpec.coordinates(releases.from()),
              ReleaseSpec.coordinates(releases.to()),
              pre,
              post,
              classes,
              maven);
    } catch (MavenResolutionException e) {
      warnings.add(
          "newer dependencies the fixed code may need were not looked for: " + e.getMessage());
      return new ClassSet[] {pre, post};
    }
    if (upgrades.isEmpty()) {
      return new ClassSet[] {pre, post};
    }
    if (!dependencyUpdates) {
      for (DependencyUpgrades.Upgrade u : upgrades) {
        warnings.add("the fixed code needs " + u.describe() + ": add " + u.options());
      }
      return new ClassSet[] {pre, post};
    }
    List<String> from = new ArrayList<>(releases.from());
    List<String> to = new ArrayList<>(releases.to());
    for (DependencyUpgrades.Upgrade u : upgrades) {
      from.add(u.from().toString());
      to.add(u.to().toString());
      added.add(u.from());
      notes.add("also updates " + u.describe());
    }
    return new ClassSet[] {ReleaseSpec.read(from, maven), ReleaseSpec.read(to, maven)};
  }

  /** The shipped classes of the patched units (pre) and the same units compiled with the fix. */
  private static ClassSet[] patch(Patch patch, MavenArtifacts maven, List<String> warnings)
      throws IOException, SourcePatchException {
    Path sourcesPath;
    List<Path> classpath = new ArrayList<>(patch.classpath());
    if (ReleaseSpec.isCoordinates(patch.sources())) {
      MavenCoordinates library = MavenCoordinates.parse(patch.sources());
      sourcesPath = maven.resolve(library.withClassifier("sources"));
      if (classpath.isEmpty()) {
        classpath.addAll(maven.resolveCompileClasspath(library));
      }
    } else {
      sourcesPath = Path.of(patch.sources());
    }
    if (classpath.isEmpty()) {
      throw new IOException("--classpath is needed: the library jar first, then its dependencies");
    }
    SourcePatch.Result result = new SourcePatch(sourcesPath, patch.diff(), classpath).compile();
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
    ClassSet post = new ClassSet(result.compiledAfter().origin(), fixed, library.artifacts());
    return new ClassSet[] {library, post};
  }
}
