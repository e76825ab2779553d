package io.jsplice.bench.apply;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The baseline: a minimal agent that redefines classes with {@code
 * Instrumentation.redefineClasses}, nothing else (no checks, no transformer). The target calls
 * {@code bare.BareRedefiner.redefine(DIR)} to redefine every class whose file is under {@code DIR}.
 * The apply benchmark and the apply/undo cycles use it.
 */
public final class BareRedefiner {
  private static final String SOURCE =
      """
      package bare;

      import java.lang.instrument.ClassDefinition;
      import java.lang.instrument.Instrumentation;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.stream.Stream;

      public final class BareRedefiner {
        private static volatile Instrumentation instrumentation;

        public static void premain(String options, Instrumentation inst) {
          instrumentation = inst;
        }

        public static void redefine(String dir) throws Exception {
          Path root = Path.of(dir);
          List<ClassDefinition> definitions = new ArrayList<>();
          try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
              String path = root.relativize(file).toString();
              String name = path.substring(0, path.length() - 6).replace('/', '.');
              definitions.add(
                  new ClassDefinition(
                      Class.forName(name, false, ClassLoader.getSystemClassLoader()),
                      Files.readAllBytes(file)));
            }
          }
          instrumentation.redefineClasses(definitions.toArray(ClassDefinition[]::new));
        }
      }
      """;

  private BareRedefiner() {}

  public static Path jar(Path file) throws IOException {
    return Jars.write(
        file,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile("bare/BareRedefiner.java", SOURCE),
        Map.of("Premain-Class", "bare.BareRedefiner", "Can-Redefine-Classes", "true"));
  }
}
