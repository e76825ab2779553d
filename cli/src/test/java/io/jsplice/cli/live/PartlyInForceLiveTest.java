package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.control.FailureCause;
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
 * An update whose fix lives partly in objects the program built before it, in a way jsplice cannot
 * recompute (the constructor's new clamp depends on its argument), is never reported as plain
 * success: {@code apply} refuses it with its own cause and leaves the JVM as it was; with {@code
 * --accept-partial} it applies, and the apply, {@code show} and {@code --json} say "partly in
 * force" and name the state.
 */
class PartlyInForceLiveTest {
  private static final String LIBRARY_V1 =
      """
      package lib;
      public class Quota {
        private final int limit;
        public Quota(int limit) { this.limit = limit; }
        public boolean allows(int size) { return size <= limit; }
      }
      """;

  /** The fix: a quota never allows more than 100, whatever it was built with. */
  private static final String LIBRARY_V2 =
      LIBRARY_V1.replace("this.limit = limit;", "this.limit = Math.min(limit, 100);");

  private static final String APP =
      """
      public class App {
        static final lib.Quota HELD = new lib.Quota(1000);
        public static void main(String[] args) throws Exception {
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT held=" + HELD.allows(500) + " fresh=" + new lib.Quota(1000).allows(500));
          }
        }
      }
      """;

  @TempDir static Path work;
  private static LiveLibrary library;

  @BeforeAll
  static void build() throws IOException {
    library =
        LiveLibrary.build(work, "quota", "clamp", compile(LIBRARY_V1), compile(LIBRARY_V2), APP);
    assertThat(library.create().out())
        .as("the report says what stays")
        .contains("not in force for state built before the update (1)")
        .contains("objects of lib.Quota built before the update");
  }

  private static Map<String, byte[]> compile(String source) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile("lib/Quota.java", source);
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static ProbedJvm start(Jdk jdk) {
    return library.start(jdk);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void apply_refusesAFixOnlyPartlyInForce_andChangesNothing(Jdk jdk) {
    try (ProbedJvm jvm = start(jdk)) {
      String pid = Long.toString(jvm.pid());
      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply.toString()).isEqualTo(38);
      assertThat(FailureCause.PARTLY_IN_FORCE.exitCode()).isEqualTo(38);
      assertThat(apply.err().strip())
          .as("one line")
          .doesNotContain("\n")
          .startsWith("jsplice: update clamp would be only partly in force, so nothing was changed")
          .contains("objects of lib.Quota built before the update")
          .contains("--accept-partial");
      assertThat(jvm.probe()).as("no class switched").isEqualTo("held=true fresh=true");
      assertThat(CliRun.of("show", pid).out()).contains("0 update(s) applied");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aRefusal_listsEveryPartWithVerboseAndJson_afterItsOneLine(Jdk jdk) {
    try (ProbedJvm jvm = start(jdk)) {
      String pid = Long.toString(jvm.pid());
      String[] apply = {
        "apply", pid, library.update().toString(), "--trust", library.cert().toString()
      };
      CliRun verbose = CliRun.of(concat(apply, "--verbose"));
      CliRun json = CliRun.of(concat(apply, "--json"));

      assertThat(verbose.exit()).as(verbose.toString()).isEqualTo(38);
      assertThat(verbose.err().strip().lines())
          .as("the one line, then each part on its own")
          .hasSize(2)
          .last()
          .asString()
          .startsWith("  objects of lib.Quota built before the update: ");
      assertThat(json.exit()).as(json.toString()).isEqualTo(38);
      assertThat(json.out())
          .contains("\"cause\": \"PARTLY_IN_FORCE\"")
          .contains("\"details\": [")
          .contains("objects of lib.Quota built before the update");
      assertThat(jvm.probe()).as("no class switched").isEqualTo("held=true fresh=true");
    }
  }

  private static String[] concat(String[] args, String last) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void applyAcceptingPartial_appliesAndSaysPartlyInForceEverywhere(Jdk jdk) {
    try (ProbedJvm jvm = start(jdk)) {
      String pid = Long.toString(jvm.pid());
      CliRun apply =
          CliRun.of(
              "apply",
              pid,
              library.update().toString(),
              "--trust",
              library.cert().toString(),
              "--accept-partial");

      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out())
          .startsWith("applied clamp to JVM " + pid + ", PARTLY IN FORCE (accepted)")
          .contains("! not in force: objects of lib.Quota built before the update");
      assertThat(jvm.probe())
          .as("the fixed code runs for new objects; the held one keeps its old limit")
          .isEqualTo("held=true fresh=false");

      CliRun show = CliRun.of("show", pid);
      assertThat(show.out())
          .contains("in force PARTLY (accepted at apply): 1 part(s) keep the old behaviour")
          .contains("- objects of lib.Quota built before the update");
      CliRun json = CliRun.of("show", pid, "--json");
      assertThat(json.out())
          .contains("\"inForce\": \"PARTLY\"")
          .contains("objects of lib.Quota built before the update");

      assertThat(CliRun.of("undo", pid, "clamp").exit()).isZero();
      assertThat(jvm.probe()).isEqualTo("held=true fresh=true");
    }
  }
}
