package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fix whose class gets a new superclass (jackson-core 2.15.0's bundled FastDoubleParser, tomcat
 * 9.0.83's ClientAbortException), which no loaded class can take: {@code create --first-load} keeps
 * it, to be installed as it first loads. In a JVM where no class loader has loaded it, apply
 * switches the loaded classes of the update, and the class loads later with the fixed code (its new
 * superclass and the check that comes with it); undo works while it has not loaded, and is refused,
 * naming it, once it has. In a JVM that loaded it before, apply is refused, naming it, and nothing
 * changes. Target JVMs on JDK 17 and 25.
 */
class FirstLoadLiveTest {
  @TempDir static Path work;
  private static Path cert;
  private static Path v1;
  private static Path app;
  private static Path update;

  private static final String PARSER_V1 =
      """
      package lib;
      public class Parser {
        public String parse(String s) { return "parsed " + s; }
      }
      """;

  /** The fix: a new superclass whose check refuses long input. */
  private static final String PARSER_V2 =
      """
      package lib;
      public class Parser extends Limited {
        public String parse(String s) { return limit(s) ? "refused " + s : "parsed " + s; }
      }
      """;

  private static final String LIMITED =
      """
      package lib;
      public abstract class Limited {
        protected boolean limit(String s) { return s.length() > 5; }
      }
      """;

  /** Loaded at start, changed by the same release: switched by the apply. */
  private static final String CHECKER_V1 =
      """
      package lib;
      public class Checker {
        public static String check(String s) { return "accepted " + s; }
      }
      """;

  private static final String CHECKER_V2 =
      """
      package lib;
      public class Checker {
        public static String check(String s) {
          return s.length() > 5 ? "rejected " + s : "accepted " + s;
        }
      }
      """;

  private static final String APP =
      """
      public class App {
        public static void main(String[] args) throws Exception {
          if (args.length > 0 && args[0].equals("preload")) {
            Class.forName("lib.Parser");
          }
          lib.Checker.check("x");
          System.out.println("ready");
          java.io.BufferedReader in =
              new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String answer =
                line.equals("parse")
                    ? new lib.Parser().parse("123456789")
                        + " (superclass " + lib.Parser.class.getSuperclass().getName() + ")"
                    : lib.Checker.check("123456789");
            System.out.println("RESULT " + answer);
          }
        }
      }
      """;

  @BeforeAll
  static void build() throws IOException {
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    Path key = work.resolve("k.p12");
    cert = work.resolve("k.pem");
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    v1 =
        Jars.write(
            work.resolve("lib-1.jar"),
            javac.compile(Map.of("lib/Parser.java", PARSER_V1, "lib/Checker.java", CHECKER_V1)));
    Path v2 =
        Jars.write(
            work.resolve("lib-2.jar"),
            javac.compile(
                Map.of(
                    "lib/Parser.java",
                    PARSER_V2,
                    "lib/Limited.java",
                    LIMITED,
                    "lib/Checker.java",
                    CHECKER_V2)));
    app =
        Jars.writeDirectory(
            Files.createDirectories(work.resolve("app")),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(v1)
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
            "limits",
            "--first-load",
            "--verbose",
            "--key",
            key.toString(),
            "-o",
            update.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out())
        .as(create.toString())
        .contains("live where the class is not loaded yet: lib.Parser")
        .contains("changes its superclass from java.lang.Object to lib.Limited");
  }

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void notLoadedAtApply_loadsFixed_andUndoIsRefusedOnceLoaded(Jdk jdk) {
    try (TargetJvm jvm = TargetJvm.on(jdk).classpath(app, v1).mainClass("App").start()) {
      Asker ask = new Asker(jvm);
      String pid = Long.toString(jvm.pid());
      assertThat(ask.ask("check")).isEqualTo("accepted 123456789");

      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out() + apply.err())
          .contains("lib.Parser (its superclass changes) is installed as it first loads")
          .contains("no class loader has loaded it yet");
      assertThat(ask.ask("check")).as(jvm.outputs()).isEqualTo("rejected 123456789");

      CliRun undo = CliRun.of("undo", pid, "limits");
      assertThat(undo.exit()).as("not loaded yet: undo works " + undo + jvm.outputs()).isZero();
      assertThat(ask.ask("check")).isEqualTo("accepted 123456789");

      CliRun again = CliRun.of("apply", pid, update.toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(ask.ask("parse"))
          .as(jvm.outputs())
          .isEqualTo("refused 123456789 (superclass lib.Limited)");

      CliRun refused = CliRun.of("undo", pid, "limits");
      assertThat(refused.exit()).as(refused + jvm.outputs()).isEqualTo(32);
      assertThat(refused.out() + refused.err())
          .contains("cannot undo limits")
          .contains("lib.Parser (its superclass changes)")
          .contains("loaded with the fixed code since the update was applied");
      assertThat(ask.ask("check")).as("nothing undone").isEqualTo("rejected 123456789");
      assertThat(ask.ask("parse")).isEqualTo("refused 123456789 (superclass lib.Limited)");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void loadedBeforeApply_isRefusedNamingIt_andNothingChanges(Jdk jdk) {
    try (TargetJvm jvm =
        TargetJvm.on(jdk).classpath(app, v1).mainClass("App").args("preload").start()) {
      Asker ask = new Asker(jvm);
      String pid = Long.toString(jvm.pid());
      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isEqualTo(32);
      assertThat(apply.out() + apply.err())
          .contains("cannot apply limits; no class was changed")
          .contains("lib.Parser (its superclass changes) is loaded in");
      assertThat(ask.ask("check")).isEqualTo("accepted 123456789");
      assertThat(ask.ask("parse")).isEqualTo("parsed 123456789 (superclass java.lang.Object)");
    }
  }

  /**
   * Applied in a JVM that records it for its service, then that JVM restarts: the class loads, for
   * the first time in the new JVM, with the fixed code.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void afterARestart_theClassLoadsFixed(Jdk jdk) throws IOException {
    Path state = Files.createTempDirectory(work, "state");
    String agent =
        "-javaagent:"
            + System.getProperty("jsplice.agent.jar")
            + "=trust="
            + cert
            + ",service=first-load,state="
            + state;
    try (TargetJvm jvm =
        TargetJvm.on(jdk).classpath(app, v1).jvmArgs(agent).mainClass("App").start()) {
      Asker ask = new Asker(jvm);
      CliRun apply = CliRun.of("apply", Long.toString(jvm.pid()), update.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(ask.ask("check")).isEqualTo("rejected 123456789");
    }
    try (TargetJvm jvm =
        TargetJvm.on(jdk).classpath(app, v1).jvmArgs(agent).mainClass("App").start()) {
      Asker ask = new Asker(jvm);
      assertThat(ask.ask("parse"))
          .as(jvm.outputs())
          .isEqualTo("refused 123456789 (superclass lib.Limited)");
      assertThat(ask.ask("check")).isEqualTo("rejected 123456789");
    }
  }

  /** Sends one line and waits for its answer (the text after {@code RESULT }). */
  private static final class Asker {
    private final TargetJvm jvm;
    private int asked;

    Asker(TargetJvm jvm) {
      this.jvm = jvm;
      jvm.awaitStdout("ready", Duration.ofSeconds(60));
    }

    String ask(String what) {
      asked++;
      jvm.sendLine(what);
      String prefix = "RESULT ";
      int want = asked;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        List<String> results = jvm.stdout().lines().filter(l -> l.startsWith(prefix)).toList();
        if (results.size() >= want) {
          return results.get(want - 1).substring(prefix.length());
        }
        Thread.onSpinWait();
      }
      throw new AssertionError("no answer to " + what + ":\n" + jvm.outputs());
    }
  }
}
