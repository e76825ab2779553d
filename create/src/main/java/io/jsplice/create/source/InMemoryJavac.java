package io.jsplice.create.source;

import io.jsplice.create.source.PatchCompileException.CompileError;
import io.jsplice.create.source.PatchCompileException.Side;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * Compiles compilation units given as text with the JDK's compiler API, against a classpath, with
 * every class file kept in memory: nothing is written to disk.
 *
 * <p>Types the units use come from the classpath only (an empty source path): a unit not given is
 * never compiled implicitly, so the result holds exactly the given units' classes.
 *
 * <p>Thread-safe; each compilation has its own file manager.
 */
final class InMemoryJavac {
  private static final int ERRORS_IN_MESSAGE = 3;

  private final JavaCompiler compiler;
  private final List<Path> classpath;
  private final List<String> options;

  /**
   * @param options javac options, the same for every compilation (e.g. {@code --release 8 -g})
   */
  InMemoryJavac(JavaCompiler compiler, List<Path> classpath, List<String> options) {
    this.compiler = compiler;
    this.classpath = List.copyOf(classpath);
    this.options = List.copyOf(options);
  }

  List<String> options() {
    return options;
  }

  /**
   * The classes of some compilation units.
   *
   * @param classes class files by internal name
   * @param units each unit's path to the internal names of the classes compiled from it
   */
  record Compilation(Map<String, byte[]> classes, Map<String, List<String>> units) {}

  /**
   * @param units source text by path relative to the sources root
   * @param side which side is compiled, for the error message
   * @param diffName the diff's file name, for the error message
   */
  Compilation compile(Map<String, String> units, Side side, String diffName)
      throws PatchCompileException {
    if (units.isEmpty()) {
      return new Compilation(Map.of(), Map.of());
    }
    List<Source> sources = new ArrayList<>();
    units.forEach((path, text) -> sources.add(new Source(path, text)));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, byte[]> classes = new TreeMap<>();
    Map<String, List<String>> byUnit = new TreeMap<>();
    StandardJavaFileManager standard =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    try (Output output = new Output(standard, classes, byUnit)) {
      standard.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
      standard.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
      StringWriter log = new StringWriter();
      boolean ok = compiler.getTask(log, output, diagnostics, javacOptions(), null, sources).call();
      List<CompileError> errors = errors(diagnostics);
      if (!ok && errors.isEmpty()) {
        // An invalid option, say: javac prints it instead of reporting a diagnostic.
        String printed = log.toString().strip().replaceAll("\\s*\\R\\s*", ", ");
        errors.add(
            new CompileError(null, 0, printed.isEmpty() ? "javac failed silently" : printed));
      }
      if (!errors.isEmpty()) {
        throw failure(side, diffName, errors);
      }
    } catch (IOException e) {
      // Only closing or configuring an in-memory file manager over existing paths; not expected.
      throw new IllegalStateException("javac's file manager failed: " + e, e);
    }
    return new Compilation(classes, byUnit);
  }

  private List<String> javacOptions() {
    List<String> all = new ArrayList<>(options);
    // No annotation processors from the classpath, no implicitly compiled sources, quiet.
    all.addAll(List.of("-proc:none", "-implicit:none", "-nowarn", "-Xlint:none"));
    return all;
  }

  private static List<CompileError> errors(DiagnosticCollector<JavaFileObject> diagnostics) {
    List<CompileError> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        String file = d.getSource() instanceof Source s ? s.path : null;
        long line = Math.max(0, d.getLineNumber());
        String message = d.getMessage(Locale.ROOT).strip().replaceAll("\\s*\\R\\s*", ", ");
        errors.add(new CompileError(file, line, message));
      }
    }
    return errors;
  }

  private static PatchCompileException failure(
      Side side, String diffName, List<CompileError> errors) {
    StringBuilder message = new StringBuilder();
    if (side == Side.PATCHED) {
      message.append("the sources patched with ").append(diffName).append(" do not compile: ");
    } else {
      message.append("the unpatched sources do not compile against the classpath given: ");
    }
    List<CompileError> shown = errors.subList(0, Math.min(ERRORS_IN_MESSAGE, errors.size()));
    message.append(String.join("; ", shown.stream().map(CompileError::toString).toList()));
    if (errors.size() > shown.size()) {
      message.append("; and ").append(errors.size() - shown.size()).append(" more");
    }
    message.append(
        side == Side.PATCHED
            ? "; fix the diff"
            : "; give the library's jar and all its compile dependencies as the classpath");
    return new PatchCompileException(side, errors, message.toString());
  }

  /** A compilation unit held as text. */
  private static final class Source extends SimpleJavaFileObject {
    final String path;
    private final String text;

    Source(String path, String text) {
      super(URI.create("string:///" + path), Kind.SOURCE);
      this.path = path;
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** Keeps class files in memory and records which unit each came from. */
  private static final class Output extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, byte[]> classes;
    private final Map<String, List<String>> byUnit;

    Output(
        StandardJavaFileManager standard,
        Map<String, byte[]> classes,
        Map<String, List<String>> byUnit) {
      super(standard);
      this.classes = classes;
      this.byUnit = byUnit;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      String internalName = className.replace('.', '/');
      String unit = sibling instanceof Source s ? s.path : "";
      return new SimpleJavaFileObject(
          URI.create("bytes:///" + internalName + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return new ByteArrayOutputStream() {
            @Override
            public void close() {
              synchronized (classes) {
                classes.put(internalName, toByteArray());
                List<String> names = byUnit.computeIfAbsent(unit, k -> new ArrayList<>());
                if (!names.contains(internalName)) {
                  names.add(internalName);
                }
              }
            }
          };
        }
      };
    }
  }
}
