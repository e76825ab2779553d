package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An update adds a constant to an enum and its fix hands it out to a program, compiled against the
 * old enum, that switches on the enum and keeps an {@code EnumSet} (and in the second program an
 * {@code EnumMap}) of it built at start: the program's switch takes its default branch for the
 * added constant and the set lists it, instead of throwing {@code ArrayIndexOutOfBoundsException};
 * an {@code EnumMap} built before the update, which an added constant breaks, is named and the
 * apply refused, the JVM left as it was. On JDK 25 the same for a switch javac compiles to {@code
 * SwitchBootstraps.enumSwitch}.
 */
class GainedEnumConstantsLiveTest {
  private static final String LEVEL = "package lib; public enum Level { LOW, HIGH%s }";
  private static final String GATE =
      """
      package lib;
      public class Gate {
        public static Level classify(int n) { %s return n > 10 ? Level.HIGH : Level.LOW; }
      }
      """;

  private static final String APP =
      """
      public class App {
        static final java.util.EnumSet<lib.Level> SEEN = java.util.EnumSet.noneOf(lib.Level.class);
        static final java.util.Map<lib.Level, String> NAMES = MAP;
        static String level(int n) { return level(lib.Gate.classify(n)); }
        static String level(lib.Level l) {
          switch (l) {
            case LOW: return "low";
            case HIGH: return "high";
            default: return "other";
          }
        }
        static boolean low(lib.Level l) {
          switch (l) {
            case LOW: return true;
            default: return false;
          }
        }
        public static void main(String[] args) throws Exception {
          // Initializes the switch map before level(Level) is first called (and compiled).
          SEEN.add(low(lib.Gate.classify(5)) ? lib.Level.LOW : lib.Level.HIGH);
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String r;
            try {
              lib.Level big = lib.Gate.classify(500);
              SEEN.add(big);
              NAMES.put(big, big.name());
              r = level(5) + "," + level(500) + " seen=" + SEEN + " names=" + NAMES.keySet();
            } catch (Throwable t) {
              r = "threw " + t;
            }
            System.out.println("RESULT " + r);
          }
        }
      }
      """;

  @TempDir static Path work;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static LiveLibrary library(String name, String map) throws IOException {
    return LiveLibrary.build(
        Files.createDirectories(work.resolve(name)),
        "level",
        "extreme",
        compile(""),
        compile("EXTREME"),
        APP.replace("MAP", map));
  }

  private static Map<String, byte[]> compile(String added) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile(
            Map.of(
                "lib/Level.java",
                LEVEL.formatted(added.isEmpty() ? "" : ", " + added),
                "lib/Gate.java",
                GATE.formatted(
                    added.isEmpty() ? "" : "if (n > 100) { return Level." + added + "; }")));
  }

  static List<Arguments> jdksCompiledOrNot() {
    List<Arguments> out = new ArrayList<>();
    for (Jdk jdk : Jdk.underTest()) {
      out.add(Arguments.of(jdk, false));
      out.add(Arguments.of(jdk, true));
    }
    return out;
  }

  /**
   * @param compiled whether the method that switches is compiled at its first call, before the
   *     update ({@code -Xcomp} for it alone): compiled code holds javac's switch map, a static
   *     final field, as a constant
   */
  @ParameterizedTest(name = "on {0}, compiled {1}")
  @MethodSource("jdksCompiledOrNot")
  void theProgramsSwitchAndEnumSet_takeTheAddedConstant(Jdk jdk, boolean compiled)
      throws IOException {
    LiveLibrary library =
        library("set-" + jdk.feature() + "-" + compiled, "new java.util.TreeMap<>()");
    String[] jvmArgs =
        compiled
            ? new String[] {
              "-Xcomp",
              "-XX:CompileCommand=quiet",
              "-XX:CompileCommand=compileonly,App::level",
              "-XX:CompileCommand=dontinline,App::level"
            }
            : new String[0];
    try (ProbedJvm jvm = library.start(jdk, jvmArgs)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("low,high seen=[LOW, HIGH] names=[HIGH]");
      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("low,other seen=[LOW, HIGH, EXTREME] names=[HIGH, EXTREME]");
      assertThat(apply.out()).as(apply.toString()).contains("App$1.$SwitchMap$lib$Level");
      CliRun undo = CliRun.of("undo", pid, "extreme");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe())
          .as("the added constant handed out stays in the set")
          .isEqualTo("low,high seen=[LOW, HIGH, EXTREME] names=[HIGH, EXTREME]");
      CliRun again = CliRun.of("apply", pid, library.update().toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe())
          .as(jvm.outputs())
          .isEqualTo("low,other seen=[LOW, HIGH, EXTREME] names=[HIGH, EXTREME]");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anEnumMapBuiltBefore_isNamed_andTheApplyRefused(Jdk jdk) throws IOException {
    LiveLibrary library =
        library("map-" + jdk.feature(), "new java.util.EnumMap<>(lib.Level.class)");
    try (ProbedJvm jvm = library.start(jdk)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("low,high seen=[LOW, HIGH] names=[HIGH]");
      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isEqualTo(38);
      assertThat(apply.err())
          .contains("nothing was changed")
          .contains("objects of java.util.EnumMap keyed by lib.Level");
      assertThat(jvm.probe())
          .as("no class switched")
          .isEqualTo("low,high seen=[LOW, HIGH] names=[HIGH]");
      assertThat(CliRun.of("show", pid).out()).contains("0 update(s) applied");
    }
  }

  /**
   * The same switch compiled by the Eclipse compiler (a {@code static volatile int[]
   * $SWITCH_TABLE$lib$Level} in the class that switches, filled at its first switch) and by Kotlin
   * (a {@code static final int[] $EnumSwitchMapping$0} of {@code SwitchesKt$WhenMappings}, whose
   * name does not say the enum), each compiler fetched from Maven Central: both threw {@code
   * ArrayIndexOutOfBoundsException} at the added constant before.
   */
  @ParameterizedTest(name = "on {0}, compiled {1}")
  @MethodSource("jdksCompiledOrNot")
  void eclipseAndKotlinSwitches_takeTheAddedConstant(Jdk jdk, boolean compiled) throws IOException {
    String eclipse =
        """
        public class EclipseSwitch {
          public static String level(lib.Level l) {
            switch (l) {
              case LOW: return "low";
              case HIGH: return "high";
              default: return "other";
            }
          }
        }
        """;
    String kotlin =
        """
        fun kotlinLevel(l: lib.Level): String = when (l) {
          lib.Level.LOW -> "low"
          lib.Level.HIGH -> "high"
          else -> "other"
        }
        """;
    String app =
        """
        public class App {
          static String both(int n) {
            lib.Level l = lib.Gate.classify(n);
            return EclipseSwitch.level(l) + "/" + SwitchesKt.kotlinLevel(l);
          }
          public static void main(String[] args) throws Exception {
            both(5); // fills Eclipse's table and initializes Kotlin's
            System.out.println("ready");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
              String r;
              try {
                r = both(5) + "," + both(500);
              } catch (Throwable t) {
                r = "threw " + t;
              }
              System.out.println("RESULT " + r);
            }
          }
        }
        """;
    LiveLibrary library =
        LiveLibrary.build(
            Files.createDirectories(work.resolve("other-" + jdk.feature() + "-" + compiled)),
            "level",
            "extreme",
            compile(""),
            compile("EXTREME"),
            v1 -> otherCompilers(v1, eclipse, kotlin, app));
    String[] jvmArgs =
        compiled
            ? new String[] {
              "-Xcomp",
              "-XX:CompileCommand=quiet",
              "-XX:CompileCommand=compileonly,EclipseSwitch::level",
              "-XX:CompileCommand=compileonly,SwitchesKt::kotlinLevel"
            }
            : new String[0];
    try (ProbedJvm jvm = library.start(jdk, jvmArgs)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("low/low,high/high");
      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(apply + jvm.outputs()).isEqualTo("low/low,other/other");
      assertThat(apply.out())
          .contains("EclipseSwitch.$SWITCH_TABLE$lib$Level")
          .contains("SwitchesKt$WhenMappings.$EnumSwitchMapping$0");
      CliRun undo = CliRun.of("undo", pid, "extreme");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).isEqualTo("low/low,high/high");
      CliRun again = CliRun.of("apply", pid, library.update().toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(again + jvm.outputs()).isEqualTo("low/low,other/other");
    }
  }

  private static Map<String, byte[]> otherCompiled;

  /** The program's classes, compiled once (the Kotlin compiler takes seconds to start). */
  private static synchronized Map<String, byte[]> otherCompilers(
      Path v1, String eclipse, String kotlin, String app) {
    if (otherCompiled == null) {
      Map<String, byte[]> classes = new java.util.TreeMap<>();
      classes.putAll(OtherCompilers.eclipse(v1, "EclipseSwitch.java", eclipse));
      classes.putAll(OtherCompilers.kotlin(v1, "Switches.kt", kotlin));
      try {
        Path others = Jars.writeDirectory(Files.createTempDirectory(work, "others"), classes);
        classes.putAll(
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(v1, others)
                .compile("App.java", app));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      otherCompiled = classes;
    }
    return otherCompiled;
  }

  /**
   * javac compiles a switch with {@code case null} for JDK 25 to {@code
   * SwitchBootstraps.enumSwitch}, whose call site keeps a table of the constants by ordinal, filled
   * at its first call.
   */
  @Test
  void aJdk25BootstrapSwitch_takesTheAddedConstant() throws IOException {
    String app =
        """
        public class App {
          static String level(lib.Level l) {
            return switch (l) {
              case null -> "null";
              case LOW -> "low";
              case HIGH -> "high";
              default -> "other";
            };
          }
          public static void main(String[] args) throws Exception {
            System.out.println("ready");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
              String r;
              try {
                r = level(lib.Gate.classify(5)) + "," + level(lib.Gate.classify(500));
              } catch (Throwable t) {
                r = "threw " + t;
              }
              System.out.println("RESULT " + r);
            }
          }
        }
        """;
    LiveLibrary library =
        LiveLibrary.build(
            Files.createDirectories(work.resolve("bootstrap")),
            "level",
            "extreme",
            compile(""),
            compile("EXTREME"),
            v1 ->
                Compiler.with(Jdk.jdk25())
                    .options("--release", "25")
                    .classpath(v1)
                    .compile("App.java", app));
    try (ProbedJvm jvm = library.start(Jdk.jdk25())) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo("low,high");
      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(apply + jvm.outputs()).isEqualTo("low,other");
      assertThat(apply.out()).contains("SwitchBootstraps.enumSwitch");
      CliRun undo = CliRun.of("undo", pid, "extreme");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).isEqualTo("low,high");
      CliRun again = CliRun.of("apply", pid, library.update().toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(again + jvm.outputs()).isEqualTo("low,other");
    }
  }
}
