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
 * Objects a program built before an update are brought to the fixed state by {@code jsplice apply},
 * found on the heap: a field whose initializer changed is recomputed (a set merged with what the
 * program added to it, a number the program did not change replaced, one it changed kept), and a
 * changed setup method the constructor calls is run again where it is idempotent. The apply is then
 * plain success (in force); undo puts back what the objects held.
 */
class ExistingObjectsLiveTest {
  private static final String GUARD_V1 =
      """
      package lib;
      import java.util.*;
      public class Guard {
        private final Set<String> denied = new HashSet<>(Arrays.asList("rm"));
        private int maxDepth = 100;
        public void deny(String s) { denied.add(s); }
        public void setMaxDepth(int d) { maxDepth = d; }
        public String check(String cmd, int depth) {
          return cmd + (denied.contains(cmd) ? ":denied" : ":allowed") + (depth > maxDepth ? "/deep" : "");
        }
      }
      """;

  /** The fix: curl is denied too, and recursion stops at 10. */
  private static final String GUARD_V2 =
      GUARD_V1
          .replace("Arrays.asList(\"rm\")", "Arrays.asList(\"rm\", \"curl\")")
          .replace("maxDepth = 100;", "maxDepth = 10;");

  private static final String REGISTRY_V1 =
      """
      package lib;
      import java.util.*;
      public class Registry {
        private final Set<String> blocked = new HashSet<>();
        private boolean strict;
        public Registry() { setup(); }
        protected void setup() { blocked.add("a"); strict = false; }
        public void block(String s) { blocked.add(s); }
        public String check(String s) { return s + (blocked.contains(s) ? ":blocked" : ":open") + (strict ? "/strict" : ""); }
      }
      """;

  /** The fix: the setup also blocks "b" and turns strict checking on. */
  private static final String REGISTRY_V2 =
      REGISTRY_V1.replace(
          "blocked.add(\"a\"); strict = false;",
          "blocked.add(\"a\"); blocked.add(\"b\"); strict = true;");

  /** Objects built at start and configured by the program before the update. */
  private static final String APP =
      """
      public class App {
        static final lib.Guard HELD = new lib.Guard();
        static final lib.Guard CONFIGURED = new lib.Guard();
        static final lib.Registry REGISTRY = new lib.Registry();
        public static void main(String[] args) throws Exception {
          HELD.deny("wget");
          CONFIGURED.setMaxDepth(50);
          REGISTRY.block("x");
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT " + HELD.check("curl", 20) + " " + HELD.check("wget", 5)
                + " " + CONFIGURED.check("ls", 20)
                + " " + REGISTRY.check("b") + " " + REGISTRY.check("x"));
          }
        }
      }
      """;

  private static final String BEFORE = "curl:allowed wget:denied ls:allowed b:open x:blocked";
  private static final String FIXED =
      "curl:denied/deep wget:denied ls:allowed b:blocked/strict x:blocked/strict";

  @TempDir static Path work;
  private static LiveLibrary library;

  @BeforeAll
  static void build() throws IOException {
    library =
        LiveLibrary.build(
            work,
            "lib",
            "objects",
            compile(GUARD_V1, REGISTRY_V1),
            compile(GUARD_V2, REGISTRY_V2),
            APP);
  }

  private static Map<String, byte[]> compile(String guard, String registry) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile(Map.of("lib/Guard.java", guard, "lib/Registry.java", registry));
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void apply_bringsObjectsBuiltBefore_toTheFixedState_andUndoPutsThemBack(Jdk jdk) {
    assertThat(library.create().out())
        .as("the report names the work on existing objects, and nothing stays old")
        .contains("recompute lib.Guard.denied in existing objects")
        .contains("recompute lib.Guard.maxDepth in existing objects")
        .contains("re-run lib.Registry.setup()V on existing objects")
        .doesNotContain("not in force");
    try (ProbedJvm jvm = library.start(jdk)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo(BEFORE);

      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out()).startsWith("applied objects to JVM " + pid + " (");
      assertThat(jvm.probe())
          .as("what the program added (wget, x) and set (depth 50) stays")
          .isEqualTo(FIXED);
      assertThat(CliRun.of("show", pid, "--json").out()).contains("\"inForce\": \"FULL\"");

      CliRun undo = CliRun.of("undo", pid, "objects");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("undo puts back what the objects held").isEqualTo(BEFORE);

      CliRun again =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).isEqualTo(FIXED);
    }
  }
}
