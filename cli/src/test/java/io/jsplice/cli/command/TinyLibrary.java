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
 *       {@code io.jsplice.bootstrap};
 *   <li>{@code guarded} and {@code weakened}, {@code v1} whose greet calls an added method (the
 *       update keeps it in a companion class), two builds of one update id ({@value #GUARD});
 *   <li>{@code later-fixed} and {@code later-other}, {@code v1} with {@code lib.Later}, a class no
 *       target loads at start, changed in two ways ({@value #LATER_FIX}, {@value #LATER_OTHER}).
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
  static final String GUARD = "greeter-guard";
  static final String LATER_FIX = "later-fix";
  static final String LATER_OTHER = "later-other";

  private static final String GREETER =
      """
      package lib;

      import java.util.concurrent.CountDownLatch;

      public class Greeter {
        public static String greet(String name) {
          %GREET%
        }
        %EXTRA%

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

  /** Loaded only when asked: the target JVMs never load it at start. */
  private static final String LATER =
      """
      package lib;

      public class Later {
        public static String answer() {
          return "later (%LATER%)";
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
    versions.put("v0", compile(new Variant("v0", 20)));
    versions.put("v1", compile(new Variant("v1", 21)));
    versions.put("v2", compile(new Variant("v2", 22)));
    versions.put("v3", compile(new Variant("v3", 23)));
    versions.put("rebased", compile(new Variant("v1", 21).extending("Base")));
    versions.put("fielded", compile(new Variant("v1", 21).countingCalls()));
    versions.put("guarded", compile(new Variant("v1", 21).checkedBy("guarded")));
    versions.put("weakened", compile(new Variant("v1", 21).checkedBy("weak")));
    versions.put("later-fixed", compile(new Variant("v1", 21).later("fixed")));
    versions.put("later-other", compile(new Variant("v1", 21).later("other")));
    Map<String, byte[]> withoutLater = new LinkedHashMap<>(versions.get("v1"));
    byte[] later = withoutLater.remove("lib/Later");
    versions.put("v1-without-later", withoutLater);
    versions.put("later-only", Map.of("lib/Later", later));
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

  /**
   * One version's sources: {@code version} in Greeter's answer, the spinner's sleep, and what a
   * variant changes.
   */
  private record Variant(
      String version,
      int sleep,
      String extendsClause,
      boolean countCalls,
      String checkedBy,
      String later) {
    Variant(String version, int sleep) {
      this(version, sleep, "", false, null, "v1");
    }

    Variant extending(String superclass) {
      return new Variant(
          version, sleep, "extends " + superclass + " ", countCalls, checkedBy, later);
    }

    Variant countingCalls() {
      return new Variant(version, sleep, extendsClause, true, checkedBy, later);
    }

    /** Greeter.greet answers through an added method, {@code check}, tagging with {@code tag}. */
    Variant checkedBy(String tag) {
      return new Variant(version, sleep, extendsClause, countCalls, tag, later);
    }

    /** Later.answer says {@code tag}. */
    Variant later(String tag) {
      return new Variant(version, sleep, extendsClause, countCalls, checkedBy, tag);
    }
  }

  private static Map<String, byte[]> compile(Variant v) {
    String greet =
        v.checkedBy() == null
            ? "return \"hello \" + name + \" (" + v.version() + ")\";"
            : "return check(name);";
    String extra =
        v.checkedBy() == null
            ? ""
            : "private static String check(String name) { return \"hello \" + name + \" ("
                + v.checkedBy()
                + ")\"; }";
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile(
            Map.of(
                "lib/Greeter.java",
                    GREETER
                        .replace("%GREET%", greet)
                        .replace("%EXTRA%", extra)
                        .replace("%VERSION%", v.version()),
                "lib/Spinner.java", SPINNER.replace("%SLEEP%", Integer.toString(v.sleep())),
                "lib/Base.java", BASE,
                "lib/Shape.java", SHAPE.replace("%EXTENDS%", v.extendsClause()),
                "lib/Later.java", LATER.replace("%LATER%", v.later()),
                "lib/Tally.java",
                    TALLY
                        .replace("%FIELD%", v.countCalls() ? "private int calls;" : "")
                        .replace("%COUNT%", v.countCalls() ? "calls++;" : "")));
  }

  /**
   * The library's jar in {@code version}: v0, v1, v2, v3, rebased, fielded, guarded, weakened,
   * later-fixed, later-other, v1-without-later (v1 but {@code lib.Later}) or later-only ({@code
   * lib.Later} of v1 alone).
   */
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

  /** {@value #GUARD}: v1 to guarded, whose greet calls a method it adds (kept in a companion). */
  Path guard() {
    return signed(GUARD, "v1", "guarded", List.of());
  }

  /**
   * A build of {@value #GUARD} with the same id but other code: its added method answers "weak".
   * What a rebuilt or careless update looks like to the agent.
   */
  Path weakenedGuard() {
    return signed(GUARD, "v1", "weakened", List.of(), "greeter-guard-weakened.jsplice");
  }

  /** {@value #LATER_FIX}: v1 to later-fixed; it replaces only {@code lib.Later}. */
  Path laterFix() {
    return signed(LATER_FIX, "v1", "later-fixed", List.of());
  }

  /** {@value #LATER_OTHER}: v1 to later-other, another fix of {@code lib.Later}, built alike. */
  Path laterOther() {
    return signed(LATER_OTHER, "v1", "later-other", List.of());
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
    return signed(id, from, to, requires, id + ".jsplice");
  }

  private synchronized Path signed(
      String id, String from, String to, List<String> requires, String fileName) {
    Path file = dir.resolve(fileName);
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
