package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service of the restart scenarios: a program that answers each line on stdin with what
 * commons-text makes of {@code ${dns:address|localhost}} (the address on a release vulnerable to
 * Text4Shell, the text unchanged once fixed), deployed on disk as services are, and started,
 * restarted and upgraded underneath as operators do.
 *
 * <p>Two layouts: a plain class path ({@code app/} classes, {@code lib/commons-text.jar}, {@code
 * lib/commons-lang3.jar}), upgraded by renaming a new jar over the library; and a Spring-Boot-like
 * executable jar ({@code app.jar}: a launcher at the top, the program in {@code BOOT-INF/classes},
 * the libraries in {@code BOOT-INF/lib} under their release names), upgraded by renaming a new
 * {@code app.jar} over it. Its launcher reads the nested jars into memory once and closes the file,
 * as such loaders do, so the JVM holds no open handle on what it runs.
 */
final class Text4ShellService implements AutoCloseable {
  static final String PROBE = "${dns:address|localhost}";
  static final String SERVICE = "text4shell";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final String PROGRAM =
      """
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      public class Text4Shell {
        public static void main(String[] args) throws Exception {
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
          System.out.println("ready");
          for (String line; (line = in.readLine()) != null; ) {
            String result;
            try {
              result = org.apache.commons.text.StringSubstitutor.createInterpolator()
                  .replace("${dns:address|localhost}");
            } catch (RuntimeException e) {
              result = "error " + e;
            }
            System.out.println(line + " -> " + result);
          }
        }
      }
      """;

  private static final String LAUNCHER =
      """
      import java.io.*;
      import java.net.*;
      import java.security.*;
      import java.util.*;
      import java.util.jar.*;
      /** Runs BOOT-INF/classes with BOOT-INF/lib/*.jar, as Spring Boot's launcher does. */
      public class Launcher {
        public static void main(String[] args) throws Exception {
          File self = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
          ClassLoader loader = new NestedJarLoader(self);
          Thread.currentThread().setContextClassLoader(loader);
          loader.loadClass("Text4Shell").getMethod("main", String[].class)
              .invoke(null, (Object) new String[0]);
        }

        /** Classes read from the nested jars into memory, with nested-jar code sources. */
        static final class NestedJarLoader extends ClassLoader {
          private final Map<String, byte[]> classes = new HashMap<>();
          private final Map<String, URL> sources = new HashMap<>();
          private final Map<URL, ProtectionDomain> domains = new HashMap<>();

          NestedJarLoader(File jar) throws IOException {
            super("boot-inf", ClassLoader.getSystemClassLoader());
            String base = "jar:" + jar.toURI() + "!/";
            try (JarFile outer = new JarFile(jar)) {
              for (JarEntry e : Collections.list(outer.entries())) {
                String name = e.getName();
                if (name.startsWith("BOOT-INF/classes/") && name.endsWith(".class")) {
                  byte[] bytes = outer.getInputStream(e).readAllBytes();
                  add(name.substring("BOOT-INF/classes/".length()), bytes,
                      new URL(base + "BOOT-INF/classes!/"));
                } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                  URL source = new URL(base + name + "!/");
                  try (JarInputStream in = new JarInputStream(outer.getInputStream(e))) {
                    for (JarEntry c; (c = in.getNextJarEntry()) != null; ) {
                      if (c.getName().endsWith(".class")) {
                        add(c.getName(), in.readAllBytes(), source);
                      }
                    }
                  }
                }
              }
            }
          }

          private void add(String path, byte[] bytes, URL source) {
            classes.put(path, bytes);
            sources.put(path, source);
          }

          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            String path = name.replace('.', '/') + ".class";
            byte[] bytes = classes.get(path);
            if (bytes == null) {
              throw new ClassNotFoundException(name);
            }
            ProtectionDomain domain = domains.computeIfAbsent(sources.get(path),
                url -> new ProtectionDomain(new CodeSource(url, (CodeSigner[]) null), null, this, null));
            return defineClass(name, bytes, 0, bytes.length, domain);
          }

          @Override
          protected URL findResource(String path) {
            URL source = sources.get(path);
            try {
              return source == null ? null : new URL(source + path);
            } catch (MalformedURLException e) {
              return null;
            }
          }
        }
      }
      """;

  private final Path root;
  private final Jdk jdk;
  private final boolean fatJar;
  private final CommonsTextReleases releases;
  private TargetJvm jvm;
  private int probes;

  private Text4ShellService(Path root, Jdk jdk, boolean fatJar, CommonsTextReleases releases) {
    this.root = root;
    this.jdk = jdk;
    this.fatJar = fatJar;
    this.releases = releases;
  }

  /** Deploys the service in {@code root} with {@code commonsText}, on a plain class path. */
  static Text4ShellService plain(Path root, Jdk jdk, Path commonsText) {
    Text4ShellService service = new Text4ShellService(root, jdk, false, CommonsTextReleases.get());
    service.deploy(commonsText);
    return service;
  }

  /** Deploys the service in {@code root} with {@code commonsText}, as an executable fat jar. */
  static Text4ShellService fatJar(Path root, Jdk jdk, Path commonsText) {
    Text4ShellService service = new Text4ShellService(root, jdk, true, CommonsTextReleases.get());
    service.deploy(commonsText);
    return service;
  }

  /** Where agents of this service keep its record. */
  Path stateDir() {
    return root.resolve("state");
  }

  /** The jar the JVM loads commons-text from, as {@code verify} names it. */
  String libraryPath(Path commonsText) {
    return fatJar
        ? root.resolve("app.jar") + "!/BOOT-INF/lib/" + commonsText.getFileName()
        : root.resolve("lib/commons-text.jar").toString();
  }

  /** Starts the JVM, with the agent for this service ({@code -javaagent}) or without. */
  Text4ShellService start(boolean withAgent) {
    TargetJvm.Builder builder = TargetJvm.on(jdk);
    if (withAgent) {
      builder.jvmArgs(
          "-javaagent:"
              + System.getProperty("jsplice.agent.jar")
              + "=service="
              + SERVICE
              + ",state="
              + stateDir()
              + ",trust="
              + releases.certificate());
    }
    if (fatJar) {
      builder.classpath(root.resolve("app.jar")).mainClass("Launcher");
    } else {
      builder
          .classpath(
              root.resolve("app"),
              root.resolve("lib/commons-text.jar"),
              root.resolve("lib/commons-lang3.jar"))
          .mainClass("Text4Shell");
    }
    jvm = builder.start();
    jvm.awaitStdout("ready", WAIT);
    return this;
  }

  /** Stops the JVM and starts it again with the same command line. */
  Text4ShellService restart(boolean withAgent) {
    jvm.close();
    probes = 0;
    return start(withAgent);
  }

  long pid() {
    return jvm.pid();
  }

  TargetJvm jvm() {
    return jvm;
  }

  /** What the running JVM makes of {@link #PROBE}. */
  String probe() {
    String tag = "probe-" + (++probes) + " -> ";
    jvm.sendLine(tag.substring(0, tag.length() - 4));
    jvm.awaitStdout(tag, WAIT);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String out = jvm.stdout();
      int at = out.indexOf(tag) + tag.length();
      int end = out.indexOf('\n', at);
      if (end >= 0) {
        return out.substring(at, end);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no whole answer to " + tag + "\n" + jvm.outputs());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Asserts that the running JVM resolves the DNS lookup: Text4Shell is open. */
  void assertVulnerable() {
    assertThat(probe()).as("a vulnerable commons-text resolves the lookup").isNotEqualTo(PROBE);
  }

  /** Asserts that the running JVM leaves the lookup alone: fixed. */
  void assertFixed() {
    assertThat(probe()).as("a fixed commons-text leaves the lookup alone").isEqualTo(PROBE);
  }

  /**
   * Upgrades (or downgrades) commons-text underneath the running JVM, as a package manager does.
   */
  void replaceLibrary(Path commonsText) {
    deploy(commonsText);
  }

  private void deploy(Path commonsText) {
    try {
      Files.createDirectories(root);
      if (fatJar) {
        Path next = Files.createTempFile(root, ".app", ".jar");
        Files.write(next, fatJarBytes(commonsText));
        Files.move(
            next,
            root.resolve("app.jar"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } else {
        if (!Files.isDirectory(root.resolve("app"))) {
          Jars.writeDirectory(root.resolve("app"), program(commonsText));
        }
        Path lib = Files.createDirectories(root.resolve("lib"));
        if (!Files.exists(lib.resolve("commons-lang3.jar"))) {
          Files.copy(releases.lang3(), lib.resolve("commons-lang3.jar"));
        }
        Path next = Files.createTempFile(lib, ".commons-text", ".jar");
        Files.copy(commonsText, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            next,
            lib.resolve("commons-text.jar"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] fatJarBytes(Path commonsText) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile("Launcher.java", LAUNCHER)
        .forEach((name, bytes) -> entries.put(name + ".class", bytes));
    program(commonsText)
        .forEach((name, bytes) -> entries.put("BOOT-INF/classes/" + name + ".class", bytes));
    entries.put("BOOT-INF/lib/" + commonsText.getFileName(), Files.readAllBytes(commonsText));
    entries.put(
        "BOOT-INF/lib/" + releases.lang3().getFileName(), Files.readAllBytes(releases.lang3()));
    return Jars.bytes(entries, Map.of("Main-Class", "Launcher"));
  }

  private static Map<String, byte[]> program(Path commonsText) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .classpath(commonsText)
        .compile("Text4Shell.java", PROGRAM);
  }

  @Override
  public void close() {
    if (jvm != null) {
      jvm.close();
    }
  }
}
