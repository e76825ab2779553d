package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fixed release that also adds classes extending a class of an optional dependency (as Ivy
 * 2.5.1's Ant tasks extend Ant's FileSet), applied to a program that does not have that dependency:
 * the fixed release could not load those classes there either, so they are left undefined, the
 * apply goes on and says which and why, and the fix is in force; undone and applied again alike.
 * With the dependency present they are defined as usual. Target JVMs on JDK 17 and 25.
 *
 * <p>The fixed release also adds a method to a class that the program loaded but that cannot link
 * without the dependency (the verifier needs one of its classes): that class is left out of the
 * switch, and the companion holding its added method, which cannot link either, is left unlinked
 * with it instead of refusing the whole update.
 *
 * <p>It adds a method to a class the program never uses (netty-codec 4.1.86's BrotliEncoder, whose
 * brotli4j the program lacks), whose companion cannot link without the dependency: left out while
 * the class is not loaded; the companion's verifier loads it, the undo links it with its old code,
 * and the second apply leaves it out again, as none of its code has run (it once refused the whole
 * update, taking it for a class that runs).
 *
 * <p>And it adds a method taking a type of the dependency to a class that links without it
 * (spring-web 7.0.4's ReactorClientHttpConnector.registerAttributeCallback(Connection)): that class
 * is switched, and the companion holding the method links too, as linking loads no class a
 * descriptor names; the fix is in force there as well.
 */
class AddedClassesLiveTest {
  @TempDir static Path work;
  private static Path key;
  private static Path cert;

  private static final String UNPACKER_V1 =
      """
      package lib;
      public class Unpacker {
        public static String unpack(String entry) { return "wrote " + entry; }
      }
      """;

  /** The fix: entries that climb out are skipped, through a class the release adds. */
  private static final String UNPACKER_V2 =
      """
      package lib;
      public class Unpacker {
        public static String unpack(String entry) {
          return EntryNames.climbs(entry) ? "skipped " + entry : "wrote " + entry;
        }
      }
      """;

  private static final String ENTRY_NAMES =
      """
      package lib;
      public class EntryNames {
        static boolean climbs(String entry) { return entry.contains(".."); }
      }
      """;

  /** An optional dependency's class, which the program does not have. */
  private static final String OPTIONAL_SET =
      """
      package opt;
      public class FileSet {
        public String describe() { return "files"; }
      }
      """;

  private static final String OPTIONAL_SUBSET =
      """
      package opt;
      public class SubSet extends FileSet {}
      """;

  /**
   * Extends nothing optional, so it is defined, but the verifier loads opt.FileSet to check that it
   * is a FileSet (spring-web 7.0.2's ServerRequestObservationContext$HeaderGetter and the servlet
   * API): it cannot link without the dependency, and is left unlinked.
   */
  private static final String DESCRIBER =
      """
      package lib.tasks;
      public class Describer {
        public static String describe(opt.SubSet s) { return use(s); }
        static String use(opt.FileSet f) { return f.describe(); }
      }
      """;

  private static final String EMPTY_SET =
      """
      package lib.tasks;
      public class EmptySet extends opt.FileSet {
        @Override public String describe() { return "no files"; }
      }
      """;

  /** Needs EmptySet: left out with it. */
  private static final String EMPTIER_SET =
      """
      package lib.tasks;
      public class EmptierSet extends EmptySet {}
      """;

  /**
   * Loaded by the program, never linked: the verifier loads opt.SubSet to check that it is a
   * FileSet, so without the dependency it cannot link, now or fixed.
   */
  private static final String CONNECTOR_V1 =
      """
      package lib;
      public class Connector {
        public static String connect(opt.SubSet s) { return use(s); }
        static String use(opt.FileSet f) { return f.describe(); }
      }
      """;

  /** Adds a method, which a companion holds; it cannot link without the dependency either. */
  private static final String CONNECTOR_V2 =
      """
      package lib;
      public class Connector {
        public static String connect(opt.SubSet s) { return checked(s); }
        static String use(opt.FileSet f) { return f.describe(); }
        static String checked(opt.SubSet s) { return "checked " + use(s); }
      }
      """;

  /** Unchanged: what the compressor passes itself and its argument to. */
  private static final String BASE =
      """
      package lib;
      public class Base {
        static String name(Base b) { return "base "; }
        static String use(opt.FileSet f) { return f.describe(); }
      }
      """;

  /** Never used by the program; links without the dependency (netty's BrotliEncoder, brotli4j). */
  private static final String COMPRESSOR_V1 =
      """
      package lib;
      public class Compressor extends Base {
        public String compress(opt.SubSet s) { return "compressed"; }
      }
      """;

  /**
   * Adds an instance method, which a companion holds: verifying it loads Compressor (passed as a
   * Base), then opt.SubSet (passed as a FileSet), which is not there.
   */
  private static final String COMPRESSOR_V2 =
      """
      package lib;
      public class Compressor extends Base {
        public String compress(opt.SubSet s) { return checked(s); }
        private String checked(opt.SubSet s) { return name(this) + use(s); }
      }
      """;

  /** An optional dependency's interface (reactor-netty's Connection). */
  private static final String OPTIONAL_CONNECTION =
      """
      package opt;
      public interface Connection {
        void onClose(Runnable action);
      }
      """;

  /** Names opt.Connection only in a descriptor: it links, and runs, without the dependency. */
  private static final String CLIENT_V1 =
      """
      package lib;
      public class Client {
        public static String exchange(opt.Connection c) { return "exchanged"; }
      }
      """;

  /** Adds methods taking opt.Connection, a lambda among them; a companion holds them. */
  private static final String CLIENT_V2 =
      """
      package lib;
      public class Client {
        public static String exchange(opt.Connection c) { return register(c) + "exchanged"; }
        private static String register(opt.Connection c) {
          if (c != null) {
            c.onClose(() -> clear(c));
          }
          return "registered, ";
        }
        private static void clear(opt.Connection c) {}
      }
      """;

  private static final String APP =
      """
      public class App {
        static String probe() {
          String tasks;
          try {
            tasks = ((opt.FileSet) Class.forName("lib.tasks.EmptierSet")
                .getDeclaredConstructor().newInstance()).describe();
          } catch (ReflectiveOperationException | LinkageError e) {
            tasks = "unloadable";
          }
          return lib.Unpacker.unpack("../x") + ", tasks " + tasks + ", " + lib.Client.exchange(null);
        }

        public static void main(String[] args) throws Exception {
          Class.forName("lib.Connector", false, App.class.getClassLoader());
          probe();
          System.out.println("ready");
          java.io.BufferedReader in =
              new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT " + probe());
          }
        }
      }
      """;

  private static Path v1;
  private static Path optional;
  private static Path app;
  private static Path update;

  @BeforeAll
  static void build() throws IOException {
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    key = work.resolve("k.p12");
    cert = work.resolve("k.pem");
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    optional =
        Jars.write(
            work.resolve("opt.jar"),
            javac.compile(
                Map.of(
                    "opt/FileSet.java", OPTIONAL_SET,
                    "opt/SubSet.java", OPTIONAL_SUBSET,
                    "opt/Connection.java", OPTIONAL_CONNECTION)));
    v1 =
        Jars.write(
            work.resolve("lib-1.jar"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(optional)
                .compile(
                    Map.of(
                        "lib/Unpacker.java", UNPACKER_V1,
                        "lib/Connector.java", CONNECTOR_V1,
                        "lib/Client.java", CLIENT_V1,
                        "lib/Base.java", BASE,
                        "lib/Compressor.java", COMPRESSOR_V1)));
    Path v2 =
        Jars.write(
            work.resolve("lib-2.jar"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(optional)
                .compile(
                    Map.of(
                        "lib/Unpacker.java", UNPACKER_V2,
                        "lib/Connector.java", CONNECTOR_V2,
                        "lib/Client.java", CLIENT_V2,
                        "lib/Base.java", BASE,
                        "lib/Compressor.java", COMPRESSOR_V2,
                        "lib/EntryNames.java", ENTRY_NAMES,
                        "lib/tasks/EmptySet.java", EMPTY_SET,
                        "lib/tasks/Describer.java", DESCRIBER,
                        "lib/tasks/EmptierSet.java", EMPTIER_SET)));
    app =
        Jars.writeDirectory(
            Files.createDirectories(work.resolve("app")),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(v1, optional)
                .compile("App.java", APP));
    update = work.resolve("u.jsplice");
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            v1.toString(),
            "--to",
            v2.toString(),
            "--id",
            "zip-slip",
            "--key",
            key.toString(),
            "-o",
            update.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
  }

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void addedClassesThatNeedAMissingDependency_areLeftOut_andTheFixIsInForce(Jdk jdk) {
    try (ProbedJvm jvm =
        new ProbedJvm(TargetJvm.on(jdk).classpath(app, v1).mainClass("App").start())) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("wrote ../x, tasks unloadable, exchanged");

      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out() + apply.err())
          .as("the apply names each class left out and why")
          .contains("added class lib.tasks.EmptySet not defined in")
          .contains("java.lang.NoClassDefFoundError: opt/FileSet")
          .contains("added class lib.tasks.EmptierSet not defined in")
          .contains("added class lib.tasks.Describer not linked in")
          .contains("it needs opt.FileSet, which this JVM does not have")
          .contains("update's code for lib.Connector not linked in")
          .contains("lib.Connector cannot link here either and was left out of the switch")
          .contains("switched lib.Client")
          .doesNotContain("code for lib.Client")
          .doesNotContain("rebuild it");
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("skipped ../x, tasks unloadable, registered, exchanged");
      assertThat(CliRun.of("show", pid).out())
          .as("show says it too")
          .contains("added class lib.tasks.EmptySet not defined in");

      CliRun undo = CliRun.of("undo", pid, "zip-slip");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("wrote ../x, tasks unloadable, exchanged");

      CliRun again = CliRun.of("apply", pid, update.toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(again.out() + again.err())
          .contains("added class lib.tasks.EmptySet not defined")
          .contains("update's code for lib.Compressor not linked in");
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("skipped ../x, tasks unloadable, registered, exchanged");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void withTheDependencyPresent_theAddedClassesAreDefined(Jdk jdk) {
    try (ProbedJvm jvm =
        new ProbedJvm(TargetJvm.on(jdk).classpath(app, v1, optional).mainClass("App").start())) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("wrote ../x, tasks unloadable, exchanged");

      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out() + apply.err())
          .doesNotContain("not defined")
          .doesNotContain("not linked");
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("skipped ../x, tasks no files, registered, exchanged");
    }
  }
}
