package io.jsplice.cli.command;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny library in several versions, compiled on the fly, and the signed updates between them:
 * what the apply and undo tests put into target JVMs.
 *
 * <ul>
 *   <li>{@code v1}, the vulnerable release the target JVMs run; {@code v2}, its fix ({@value
 *       #FIX}); {@code v3}, a second fix built on top of {@code v2} ({@value #FIX_2}, which
 *       requires {@value #FIX});
 *   <li>{@code v0}, another release, that no update was built for (run-pre mismatch);
 *   <li>{@code rebased}, {@code v1} with {@code lib.Shape}'s superclass changed, which no stock JVM
 *       can apply live ({@value #REBASE});
 *   <li>{@code fielded}, {@code v1} with an instance field added to {@code lib.Tally}, whose update
 *       ({@value #TALLY_FIELD}) keeps the field in a jsplice shadow field: its code links against
 *       {@code io.jsplice.bootstrap}.
 * </ul>
 *
 * <p>Every version's {@code Greeter.greet("x")} answers {@code hello x (VERSION)}, so a target's
 * output says which code it runs. Each update replaces {@code Greeter.greet}, {@code Greeter.hold}
 * and {@code Spinner.run}; {@code Greeter.echo} is the same in every version.
 *
 * <p>Built once per test JVM, under {@code target/}; thread-safe.
 */
final class TinyLibrary {
  static final String FIX = "greeter-fix";
  static final String FIX_2 = "greeter-fix-2";
  static final String REBASE = "shape-rebase";
  static final String TALLY_FIELD = "tally-field";

  private static final String GREETER =
      """
      package lib;

      import java.util.concurrent.CountDownLatch;

      public class Greeter {
                public static String greet(String name) {
          return "hello " + name + " (%VERSION%)";
        }

        /** The same in every version: no update replaces it. */
        public static String echo(String text) {
          return text;
        }

        /** Stays inside this method until released: a thread busy in code an update replaces. */
        public static String hold(CountDownLatch entered, CountDownLatch release)
            throws InterruptedException {
          entered.countDown();
          release.await();
          return "held (%VERSION%)";
        }
      }
      """;

  /** Its run method never returns: started as a thread, it is the thread's outermost frame. */
  private static final String SPINNER =
      """
      package lib;

      import java.util.concurrent.CountDownLatch;

      public class Spinner implements Runnable {
        public final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void run() {
          started.countDown();
          while (true) {
            try {
              Thread.sleep(%SLEEP%);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }
      """;

  private static final String BASE = "package lib;\n\npublic class Base {}\n";
  private static final String SHAPE =
      """
      package lib;

      public class Shape %EXTENDS%{
        public String name() {
          return "shape";
        }
      }
      """;

  private static final String TALLY =
      """
      package lib;

      public class Tally {
        private int total;
        %FIELD%
        public int add(int n) {
          %COUNT%
          total += n;
          return total;
        }
      }
      """;

  private static TinyLibrary instance;

  private final Path dir;
  private final Map<String, Map<String, byte[]>> versions = new LinkedHashMap<>();
  private final SigningKey key;
  private final Path certificate;
  private final SigningKey otherKey;

  private TinyLibrary(Path dir) throws IOException {
    this.dir = dir;
    versions.put("v0", compile("v0", 20, "", false));
    versions.put("v1", compile("v1", 21, "", false));
    versions.put("v2", compile("v2", 22, "", false));
    versions.put("v3", compile("v3", 23, "", false));
    versions.put("rebased", compile("v1", 21, "extends Base ", false));
    versions.put("fielded", compile("v1", 21, "", true));
    for (Map.Entry<String, Map<String, byte[]>> version : versions.entrySet()) {
      Jars.write(dir.resolve("lib-" + version.getKey() + ".jar"), version.getValue());
    }
    char[] password = "test-password".toCharArray();
    this.certificate = dir.resolve("test-key.pem");
    this.key =
        KeyGeneration.generate(
            dir.resolve("test-key.p12"), password, "CN=jsplice tests", certificate);
    this.otherKey =
        KeyGeneration.generate(
            dir.resolve("other-key.p12"),
            password,
            "CN=someone else",
            dir.resolve("other-key.pem"));
  }

  static synchronized TinyLibrary get() {
    if (instance == null) {
      try {
        // Under target/, so that the build cleans it; tests run in the module directory.
        Path dir = Path.of("target", "test-programs", "tiny-library").toAbsolutePath();
        Compiler.deleteTree(dir);
        instance = new TinyLibrary(Files.createDirectories(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  private static Map<String, byte[]> compile(
      String version, int sleep, String extendsClause, boolean countCalls) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile(
            Map.of(
                "lib/Greeter.java", GREETER.replace("%VERSION%", version),
                "lib/Spinner.java", SPINNER.replace("%SLEEP%", Integer.toString(sleep)),
                "lib/Base.java", BASE,
                "lib/Shape.java", SHAPE.replace("%EXTENDS%", extendsClause),
                "lib/Tally.java",
                    TALLY
                        .replace("%FIELD%", countCalls ? "private int calls;" : "")
                        .replace("%COUNT%", countCalls ? "calls++;" : "")));
  }

  /** The library's jar in {@code version}: v0, v1, v2, v3, rebased or fielded. */
  Path jar(String version) {
    requireVersion(version);
    return dir.resolve("lib-" + version + ".jar");
  }

  /** The classes of {@code version}, by internal name. */
  Map<String, byte[]> classes(String version) {
    requireVersion(version);
    return versions.get(version);
  }

  /** The certificate target JVMs trust. */
  Path certificate() {
    return certificate;
  }

  /** The key the trusted certificate belongs to. */
  SigningKey key() {
    return key;
  }

  /** A key no target JVM trusts. */
  SigningKey otherKey() {
    return otherKey;
  }

  /** {@value #FIX}: v1 to v2, signed with the trusted key. */
  Path fix() {
    return signed(FIX, "v1", "v2", List.of());
  }

  /** {@value #FIX_2}: v2 to v3, requiring {@value #FIX}, signed with the trusted key. */
  Path fix2() {
    return signed(FIX_2, "v2", "v3", List.of(FIX));
  }

  /** {@value #REBASE}: v1 to rebased, which cannot be applied live. */
  Path rebase() {
    return signed(REBASE, "v1", "rebased", List.of());
  }

  /** {@value #TALLY_FIELD}: v1 to fielded, which adds an instance field. */
  Path tallyField() {
    return signed(TALLY_FIELD, "v1", "fielded", List.of());
  }

  /** The update from {@code from} to {@code to}, unsigned, as the builder makes it. */
  UpdatePackage build(String id, String from, String to, List<String> requires) {
    try {
      return UpdateCreator.create(
              classSet(from),
              classSet(to),
              new UpdateCreator.Request(id, null, List.of(), requires))
          .update();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (io.jsplice.create.hook.HookCompiler.HookCompileException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs {@code update} with {@code signer} into a new file named {@code fileName}. */
  Path write(UpdatePackage update, SigningKey signer, String fileName) {
    try {
      Path file = dir.resolve(fileName);
      UpdateFile.write(update, signer, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} into a new file named {@code fileName}. */
  Path writeRaw(byte[] bytes, String fileName) {
    try {
      return Files.write(dir.resolve(fileName), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized Path signed(String id, String from, String to, List<String> requires) {
    Path file = dir.resolve(id + ".jsplice");
    if (!Files.exists(file)) {
      write(build(id, from, to, requires), key, file.getFileName().toString());
    }
    return file;
  }

  private ClassSet classSet(String version) {
    return new ClassSet(
        "lib-" + version + ".jar",
        classes(version),
        List.of(new ClassSet.ArtifactVersion("io.jsplice.test", "lib", version)));
  }

  private void requireVersion(String version) {
    if (!versions.containsKey(version)) {
      throw new IllegalArgumentException("no version " + version + " of the tiny library");
    }
  }
}
