package io.jsplice.create.hook;

import io.jsplice.bootstrap.UpdateHook;
import io.jsplice.create.source.ClassSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.objectweb.asm.ClassReader;

/**
 * Compiles an update's hook sources ({@code jsplice create --hook Hook.java}) against the code the
 * running JVM has (the vulnerable release) and jsplice's hook API, for Java 17 (the oldest JVM the
 * agent runs on). A hook class implements {@link UpdateHook} and has a public no-argument
 * constructor; other classes of the sources go along as its helpers.
 */
public final class HookCompiler {
  private HookCompiler() {}

  /**
   * The compiled hooks.
   *
   * @param classes every class compiled from the sources, by internal name
   * @param hooks binary names of the classes that implement {@link UpdateHook}
   */
  public record Hooks(Map<String, byte[]> classes, List<String> hooks) {
    public static final Hooks NONE = new Hooks(Map.of(), List.of());
  }

  /** A hook that does not compile, or declares no hook class. */
  public static final class HookCompileException extends Exception {
    private static final long serialVersionUID = 1L;

    public HookCompileException(String message) {
      super(message);
    }
  }

  public static Hooks compile(List<Path> sources, ClassSet pre)
      throws IOException, HookCompileException {
    if (sources.isEmpty()) {
      return Hooks.NONE;
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new HookCompileException("compiling hooks needs a JDK (javac), not a JRE");
    }
    Path work = Files.createTempDirectory("jsplice-hooks");
    try {
      Path library = work.resolve("library");
      for (Map.Entry<String, byte[]> c : pre.classes().entrySet()) {
        Path file = library.resolve(c.getKey() + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, c.getValue());
      }
      Path out = Files.createDirectories(work.resolve("out"));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--release",
                  "17",
                  "-proc:none",
                  "-d",
                  out.toString(),
                  "-cp",
                  library + java.io.File.pathSeparator + hookApi()));
      for (Path source : sources) {
        if (!Files.isRegularFile(source)) {
          throw new HookCompileException("no hook source at " + source);
        }
        args.add(source.toString());
      }
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      PrintStream stream = new PrintStream(errors, true, StandardCharsets.UTF_8);
      if (javac.run(null, stream, stream, args.toArray(String[]::new)) != 0) {
        throw new HookCompileException(
            "hook does not compile: "
                + errors
                    .toString(StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("javac failed"));
      }
      Map<String, byte[]> classes = new TreeMap<>();
      List<String> hooks = new ArrayList<>();
      String api = UpdateHook.class.getName().replace('.', '/');
      try (Stream<Path> files = Files.walk(out)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
          byte[] bytes = Files.readAllBytes(file);
          ClassReader reader = new ClassReader(bytes);
          classes.put(reader.getClassName(), bytes);
          if (List.of(reader.getInterfaces()).contains(api)) {
            hooks.add(reader.getClassName().replace('/', '.'));
          }
        }
      }
      if (hooks.isEmpty()) {
        throw new HookCompileException(
            sources + " declares no class implementing " + UpdateHook.class.getName());
      }
      return new Hooks(classes, hooks);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Where the hook API classes are: the bootstrap jar, or this tool's own jar that holds them. */
  private static String hookApi() throws IOException {
    try {
      return Path.of(UpdateHook.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the hook API classes: " + e.getMessage(), e);
    }
  }
}
