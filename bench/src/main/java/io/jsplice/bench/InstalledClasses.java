package io.jsplice.bench;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.testkit.BytesLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A tiny library in two versions, the update jsplice builds between them, and class loaders that
 * run either the fixed version as it loads cold or the code jsplice installs for it (the patched
 * class, its companion and shadow fields): the steady state a JVM reaches once the update is
 * applied and the JIT has recompiled the patched methods.
 */
final class InstalledClasses {
  private final Map<String, byte[]> post;
  private final Map<String, byte[]> installed = new HashMap<>();

  private InstalledClasses(Map<String, byte[]> post, UpdatePackage update) {
    this.post = post;
    for (ClassUpdate c : update.update().classes()) {
      if (c.status() != ClassStatus.REMOVED) {
        update.installBytes(c.name()).ifPresent(b -> installed.put(c.name(), b));
      }
    }
    post.forEach((name, bytes) -> installed.putIfAbsent(name.replace('/', '.'), bytes));
  }

  /** Compiles both versions (javac of this JDK) and builds the update. */
  static InstalledClasses build(String pre, String postSource, String className) throws Exception {
    Map<String, byte[]> preClasses = compile(className, pre);
    Map<String, byte[]> postClasses = compile(className, postSource);
    UpdateCreator.Created created =
        UpdateCreator.create(
            new ClassSet("pre", preClasses, List.of()),
            new ClassSet("post", postClasses, List.of()),
            new UpdateCreator.Request("bench", "", List.of(), List.of()));
    return new InstalledClasses(postClasses, created.update());
  }

  /** A loader of the fixed release, as a JVM started on it has it. */
  ClassLoader cold() {
    Map<String, byte[]> byName = new HashMap<>();
    post.forEach((name, bytes) -> byName.put(name.replace('/', '.'), bytes));
    return new BytesLoader(byName, InstalledClasses.class.getClassLoader());
  }

  /** A loader of what jsplice installs: the patched class and the classes the update adds. */
  ClassLoader installed() {
    return new BytesLoader(installed, InstalledClasses.class.getClassLoader());
  }

  private static Map<String, byte[]> compile(String className, String source) throws IOException {
    Path dir = Files.createTempDirectory("jsplice-bench");
    Path file = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    Path out = Files.createDirectories(dir.resolve("out"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(errors, true, StandardCharsets.UTF_8);
    if (ToolProvider.getSystemJavaCompiler()
            .run(null, stream, stream, "--release", "17", "-d", out.toString(), file.toString())
        != 0) {
      throw new IllegalStateException(errors.toString(StandardCharsets.UTF_8));
    }
    Map<String, byte[]> classes = new HashMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = out.relativize(f).toString();
        classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
      }
    }
    return classes;
  }
}
