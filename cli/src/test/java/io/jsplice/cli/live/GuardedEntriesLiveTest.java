package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fix that makes a constructor put a map entry only when a system property enables it: the object
 * the program built before the update loses that entry at apply (while the property is unset in the
 * running JVM), keeps every other entry, the program's own ones included, and gets it back at undo.
 * In a JVM where the property enables it, the entry stays.
 */
class GuardedEntriesLiveTest {
  private static final String LOOKUPS_V1 =
      """
      package lib;
      import java.util.*;
      public class Lookups {
        private final Map<String, Object> lookups = new HashMap<>();
        public Lookups() {
          lookups.put("local", new Local());
          lookups.put("remote", new Remote());
        }
        public void register(String key, Object lookup) { lookups.put(key, lookup); }
        public String resolve(String key) {
          Object l = lookups.get(key);
          return key + ":" + (l == null ? "none" : l.getClass().getSimpleName());
        }
      }
      """;

  /** The fix: the remote lookup only when enabled. */
  private static final String LOOKUPS_V2 =
      LOOKUPS_V1.replace(
          "lookups.put(\"remote\", new Remote());",
          "if (Boolean.getBoolean(\"lib.remote\")) { lookups.put(\"remote\", new Remote()); }");

  private static final Map<String, String> LOOKUP_CLASSES =
      Map.of(
          "lib/Local.java", "package lib; public class Local {}",
          "lib/Remote.java", "package lib; public class Remote {}");

  /** One object built at start, to which the program adds its own remote lookup. */
  private static final String APP =
      """
      public class App {
        static final lib.Lookups HELD = new lib.Lookups();
        public static void main(String[] args) throws Exception {
          HELD.register("mine", new lib.Remote());
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT " + HELD.resolve("remote") + " " + HELD.resolve("local")
                + " " + HELD.resolve("mine"));
          }
        }
      }
      """;

  private static final String BEFORE = "remote:Remote local:Local mine:Remote";
  private static final String FIXED = "remote:none local:Local mine:Remote";

  @TempDir static Path work;
  private static LiveLibrary library;

  @BeforeAll
  static void build() throws IOException {
    library =
        LiveLibrary.build(work, "lib", "entries", compile(LOOKUPS_V1), compile(LOOKUPS_V2), APP);
  }

  private static Map<String, byte[]> compile(String lookups) {
    Map<String, String> sources = new java.util.HashMap<>(LOOKUP_CLASSES);
    sources.put("lib/Lookups.java", lookups);
    return Compiler.with(Jdk.current()).options("--release", "17").compile(sources);
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void apply_removesTheEntryTheFixedConstructorLeavesOut_andUndoPutsItBack(Jdk jdk) {
    assertThat(library.create().out())
        .as("the report names the work on existing objects, and nothing stays old")
        .contains("remove from lib.Lookups.lookups of existing objects")
        .doesNotContain("not in force");
    try (ProbedJvm jvm = library.start(jdk)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo(BEFORE);

      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out()).startsWith("applied entries to JVM " + pid + " (");
      assertThat(jvm.probe())
          .as("the guarded entry goes; the program's own remote lookup stays")
          .isEqualTo(FIXED);

      CliRun undo = CliRun.of("undo", pid, "entries");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("undo puts the entry back").isEqualTo(BEFORE);

      CliRun again =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).isEqualTo(FIXED);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void apply_keepsTheEntry_whereTheConditionHoldsInTheRunningJvm(Jdk jdk) {
    try (ProbedJvm jvm = library.start(jdk, "-Dlib.remote=true")) {
      String pid = Long.toString(jvm.pid());

      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("the fixed constructor would put it here").isEqualTo(BEFORE);
    }
  }
}
