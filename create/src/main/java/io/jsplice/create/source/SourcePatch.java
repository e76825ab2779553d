package io.jsplice.create.source;

import io.jsplice.create.source.InMemoryJavac.Compilation;
import io.jsplice.create.source.PatchCompileException.Side;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A fix given as source, the way ksplice-create takes one: the library's sources, a unified diff
 * ({@code git diff}, {@code diff -u}) and the classpath the sources compile against. {@link
 * #compile()} applies the diff in memory and compiles the changed compilation units twice with this
 * JDK's javac, as they were and as patched, with the same options.
 *
 * <h2>Which bytes are "pre"</h2>
 *
 * The pre side is compiled here, not taken from the library's jar, so that both sides come from the
 * same compiler and differ only where the diff changed something. But the running JVM has the jar's
 * classes, compiled by whatever JDK the library was built with. So:
 *
 * <ul>
 *   <li>what the patch changes is found by comparing {@link Result#compiledBefore()} with {@link
 *       Result#compiledAfter()};
 *   <li>what the target JVM must be running (run-pre matching) is the original jar's class, not
 *       {@code compiledBefore};
 *   <li>{@link Result#mismatchesWith(ClassSet)} tells whether the two agree. Where they do not,
 *       javac here generates code differently (another JDK or {@code --release}); the post classes
 *       then carry those differences too, and the user should compile with the JDK the library was
 *       built with.
 * </ul>
 *
 * <h2>Inlined constants</h2>
 *
 * When the patch changes a compile-time constant (a ConstantValue attribute), javac has copied the
 * old value into every class that reads it. So every unit that may read it is compiled before and
 * after as well, against the patched declaring class, and the post side carries the new value. A
 * unit may read {@code A.LIMIT} if its text has the identifier {@code LIMIT} and also {@code A} or
 * the simple name of a class of A's jar that extends or implements {@code A} (qualified use, static
 * imports, inherited use). This repeats until no further constant changes.
 *
 * <p>Immutable and thread-safe; each {@link #compile()} works on its own state.
 */
public final class SourcePatch {
  private final Path sources;
  private final Path diff;
  private final List<Path> classpath;

  /**
   * @param sources the library's sources: a {@code -sources.jar}, a source folder (the package
   *     root), or a project folder with {@code src/main/java}
   * @param diff a unified diff; paths may carry {@code a/}, {@code b/} and any leading directories
   *     (such as {@code src/main/java/}), which are removed until the file is found in the sources
   * @param classpath what the sources compile against: the library's own jar (which supplies the
   *     classes not recompiled and the original class file versions) and its dependencies, see
   *     {@link MavenArtifacts#resolveCompileClasspath}
   */
  public SourcePatch(Path sources, Path diff, List<Path> classpath) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.diff = Objects.requireNonNull(diff, "diff");
    this.classpath = List.copyOf(classpath);
  }

  /**
   * Applies the diff and compiles both sides.
   *
   * @throws IOException when the sources, the diff or a classpath jar cannot be read
   * @throws MalformedPatchException when the diff is not a usable unified diff
   * @throws PatchDoesNotApplyException when a file is missing from the sources or a hunk does not
   *     match; names the file and the hunk
   * @throws PatchCompileException when either side does not compile; names file:line
   * @throws CompilerUnavailableException when this JVM has no javac, or one too old for the library
   */
  public Result compile() throws IOException, SourcePatchException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new CompilerUnavailableException(
          "this Java runtime has no compiler (javac): run jsplice create on a JDK, not a JRE");
    }
    SourceTree tree = SourceTree.read(sources);
    PatchedSources patched = PatchedSources.apply(tree, diff);
    try (ClasspathClasses originals = ClasspathClasses.open(classpath)) {
      OriginalBuild build = OriginalBuild.detect(patched.units().keySet(), originals);
      List<String> options = build.javacOptions(compiler, Runtime.version().feature());
      InMemoryJavac javac = new InMemoryJavac(compiler, classpath, options);
      return compileUntilConstantsSettle(tree, patched, javac, originals);
    }
  }

  /**
   * Compiles both sides of the touched units; while a constant changed and may be inlined in units
   * not compiled yet, adds those and compiles again. Ends: each round adds at least one unit.
   */
  private Result compileUntilConstantsSettle(
      SourceTree tree, PatchedSources patched, InMemoryJavac javac, ClasspathClasses originals)
      throws IOException, PatchCompileException {
    String diffName = diff.getFileName().toString();
    Set<String> units = new TreeSet<>(patched.units().keySet());
    Set<String> handled = new HashSet<>();
    List<ConstantRecompilation> recompilations = new ArrayList<>();
    while (true) {
      Compilation before =
          javac.compile(texts(tree, patched, units, false), Side.UNPATCHED, diffName);
      Compilation after = javac.compile(texts(tree, patched, units, true), Side.PATCHED, diffName);
      Set<String> more = new TreeSet<>();
      for (InlinedConstants.Change change :
          InlinedConstants.changes(before.classes(), after.classes())) {
        if (handled.add(change.key())) {
          ConstantRecompilation users = usersOf(change, tree, units, originals);
          recompilations.add(users);
          more.addAll(users.recompiledFiles());
        }
      }
      if (more.isEmpty()) {
        return new Result(
            new ClassSet(tree.name(), before.classes(), List.of()),
            new ClassSet(tree.name() + " + " + diffName, after.classes(), List.of()),
            List.copyOf(patched.units().keySet()),
            recompilations,
            patched.ignored(),
            javac.options());
      }
      units.addAll(more);
    }
  }

  /** The units, beyond those compiled already, that may have inlined the changed constant. */
  private static ConstantRecompilation usersOf(
      InlinedConstants.Change change,
      SourceTree tree,
      Set<String> compiled,
      ClasspathClasses originals)
      throws IOException {
    Map<String, String> others = new TreeMap<>(tree.texts());
    others.keySet().removeAll(compiled);
    Set<String> users =
        InlinedConstants.possibleUsers(change, others, originals.subtypesOf(change.owner()));
    return new ConstantRecompilation(
        change.owner(), change.field(), change.before(), change.after(), List.copyOf(users));
  }

  /** The units' texts on one side; units the diff adds (before) or deletes (after) are absent. */
  private static Map<String, String> texts(
      SourceTree tree, PatchedSources patched, Set<String> units, boolean after) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String path : units) {
      PatchedSources.Unit unit = patched.units().get(path);
      String text = unit == null ? tree.text(path) : after ? unit.after() : unit.before();
      if (text != null) {
        texts.put(path, text);
      }
    }
    return texts;
  }

  /**
   * What {@link #compile()} produced.
   *
   * @param compiledBefore the recompiled units' classes, unpatched, compiled here: every class
   *     (nested, local and anonymous included) of the touched files and of the files recompiled for
   *     changed constants; origin: the sources' file name
   * @param compiledAfter the same units patched; origin: sources + diff, e.g. {@code
   *     commons-text-1.9-sources.jar + fix.diff}
   * @param touchedFiles the files the diff changes, adds or deletes, relative to the sources root
   * @param constantRecompilations each changed constant and the files recompiled because of it, in
   *     the order found
   * @param ignoredFiles files of the diff not applied: not Java, or tests absent from the sources
   * @param javacOptions the options both sides were compiled with, e.g. {@code -g --release 8}
   */
  public record Result(
      ClassSet compiledBefore,
      ClassSet compiledAfter,
      List<String> touchedFiles,
      List<ConstantRecompilation> constantRecompilations,
      List<String> ignoredFiles,
      List<String> javacOptions) {

    public Result {
      touchedFiles = List.copyOf(touchedFiles);
      constantRecompilations = List.copyOf(constantRecompilations);
      ignoredFiles = List.copyOf(ignoredFiles);
      javacOptions = List.copyOf(javacOptions);
    }

    /**
     * Compares {@link #compiledBefore()} with the classes the target JVM runs, by normalized
     * fingerprint ({@link ClassFingerprint}): which recompiled classes javac here did not
     * reproduce. Empty means the patch's changes can be computed from the compiled sides without
     * javac noise.
     *
     * @param original the library as shipped, e.g. read from its jar; only the classes of the
     *     recompiled units are looked at
     * @return the differing classes, by name
     */
    public List<CompiledPreMismatch> mismatchesWith(ClassSet original) {
      List<CompiledPreMismatch> mismatches = new ArrayList<>();
      Set<String> compiled = compiledBefore.classes().keySet();
      for (String name : compiled) {
        byte[] shipped = original.bytes(name);
        if (shipped == null) {
          mismatches.add(new CompiledPreMismatch(name, CompiledPreMismatch.Kind.NOT_IN_ORIGINAL));
        } else if (!ClassFingerprint.of(shipped)
            .equals(ClassFingerprint.of(compiledBefore.bytes(name)))) {
          mismatches.add(new CompiledPreMismatch(name, CompiledPreMismatch.Kind.DIFFERENT_CODE));
        }
      }
      for (String name : original.classes().keySet()) {
        if (!compiled.contains(name) && isNestedInOneOf(name, compiled)) {
          mismatches.add(new CompiledPreMismatch(name, CompiledPreMismatch.Kind.ONLY_IN_ORIGINAL));
        }
      }
      return mismatches;
    }

    private static boolean isNestedInOneOf(String name, Set<String> compiled) {
      int dollar = name.indexOf('$');
      return dollar > 0 && compiled.contains(name.substring(0, dollar));
    }
  }

  /**
   * A compile-time constant the patch changes, and the files recompiled so that their inlined copy
   * of it changes too.
   *
   * @param owner internal name of the declaring class
   * @param before the old value
   * @param after the new value; null when the field is no longer a constant or was removed
   * @param recompiledFiles the files that may read it, beyond those already compiled; may be empty
   */
  public record ConstantRecompilation(
      String owner, String field, Object before, Object after, List<String> recompiledFiles) {
    public ConstantRecompilation {
      recompiledFiles = List.copyOf(recompiledFiles);
    }

    @Override
    public String toString() {
      return owner
          + "."
          + field
          + " "
          + before
          + " -> "
          + after
          + ": recompiled "
          + recompiledFiles;
    }
  }

  /**
   * A recompiled class that javac here did not reproduce from the unpatched sources.
   *
   * @param className internal name
   */
  public record CompiledPreMismatch(String className, Kind kind) {
    public enum Kind {
      /** Both have the class; its code or declarations differ. */
      DIFFERENT_CODE,
      /** Compiled here, absent from the original (e.g. an anonymous class numbered differently). */
      NOT_IN_ORIGINAL,
      /** A nested class of a recompiled class that the original has and javac here did not emit. */
      ONLY_IN_ORIGINAL
    }

    @Override
    public String toString() {
      return className + ": " + kind;
    }
  }
}
