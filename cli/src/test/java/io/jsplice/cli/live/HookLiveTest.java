package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.control.FailureCause;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hooks put a fix in force where only the program knows the state: here a deny-list that a
 * constructor fills, in an object the application built before the update. jsplice itself can only
 * say so ("needs a hook"); the hook, shipped and signed with the update, updates the held object
 * after the switch and takes the change back before an undo. A hook that throws leaves the JVM as
 * it was.
 */
class HookLiveTest {
  private static final String LIBRARY_V1 =
      """
      package lib;
      import java.util.*;
      public class Guard {
        private final Set<String> denied = new HashSet<>(List.of("rm"));
        public boolean allowed(String command) { return !denied.contains(command); }
        public void deny(String command) { denied.add(command); }
        public void allow(String command) { denied.remove(command); }
      }
      """;

  /** The fix: the constructor also denies "curl". Existing Guards keep their old set. */
  private static final String LIBRARY_V2 =
      LIBRARY_V1.replace("List.of(\"rm\")", "List.of(\"rm\", \"curl\")");

  private static final String APP =
      """
      public class App {
        public static final lib.Guard GUARD = new lib.Guard();
        public static void main(String[] args) throws Exception {
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT held=" + GUARD.allowed("curl") + " fresh=" + new lib.Guard().allowed("curl"));
          }
        }
      }
      """;

  /** Knows the application: its guard lives in App.GUARD. */
  private static final String HOOK =
      """
      import io.jsplice.bootstrap.HookContext;
      import io.jsplice.bootstrap.UpdateHook;
      public class DenyCurl implements UpdateHook {
        private static lib.Guard held(HookContext context) throws Exception {
          return (lib.Guard) Class.forName("App", true, context.loader()).getField("GUARD").get(null);
        }
        @Override public void afterApply(HookContext context) throws Exception {
          held(context).deny("curl");
          context.log("denied curl on the guard the application holds");
        }
        @Override public void beforeUndo(HookContext context) throws Exception {
          held(context).allow("curl");
        }
      }
      """;

  /**
   * Knows the library only: finds the guards on the heap, and fails the apply unless the one the
   * application holds is among them.
   */
  private static final String FINDING_HOOK =
      """
      import io.jsplice.bootstrap.HookContext;
      import io.jsplice.bootstrap.UpdateHook;
      public class FindsGuards implements UpdateHook {
        @Override public void afterApply(HookContext context) throws Exception {
          Object held = Class.forName("App", true, context.loader()).getField("GUARD").get(null);
          java.util.List<lib.Guard> found = context.objectsOf(lib.Guard.class);
          if (found.stream().noneMatch(g -> g == held)) {
            throw new IllegalStateException("the held guard is not among " + found.size() + " found");
          }
        }
      }
      """;

  private static final String FAILING_HOOK =
      """
      import io.jsplice.bootstrap.HookContext;
      import io.jsplice.bootstrap.UpdateHook;
      public class Failing implements UpdateHook {
        @Override public void afterApply(HookContext context) {
          throw new IllegalStateException("the application is not in a state this hook knows");
        }
      }
      """;

  @TempDir static Path work;
  private static Path v1;
  private static Path app;
  private static Path key;
  private static Path cert;

  @BeforeAll
  static void build() throws IOException {
    Map<String, byte[]> library =
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile("lib/Guard.java", LIBRARY_V1);
    v1 = Jars.write(work.resolve("guard-1.jar"), library);
    Jars.write(
        work.resolve("guard-2.jar"),
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile("lib/Guard.java", LIBRARY_V2));
    app =
        Jars.writeDirectory(
            work.resolve("app"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(v1)
                .compile("App.java", APP));
    Files.writeString(work.resolve("DenyCurl.java"), HOOK);
    Files.writeString(work.resolve("Failing.java"), FAILING_HOOK);
    Files.writeString(work.resolve("FindsGuards.java"), FINDING_HOOK);
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    key = work.resolve("k.p12");
    cert = work.resolve("k.pem");
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static Path update(String name, String hookSource) {
    Path file = work.resolve(name + ".jsplice");
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            v1.toString(),
            "--to",
            work.resolve("guard-2.jar").toString(),
            "--id",
            name,
            "--hook",
            work.resolve(hookSource).toString(),
            "--key",
            key.toString(),
            "-o",
            file.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
    return file;
  }

  private static CliRun apply(ProbedJvm jvm, Path update) {
    return CliRun.of(
        "apply", Long.toString(jvm.pid()), update.toString(), "--trust", cert.toString());
  }

  private static ProbedJvm start(Jdk jdk) {
    return new ProbedJvm(TargetJvm.on(jdk).classpath(app, v1).mainClass("App").start());
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void hook_putsTheFixInForceForHeldState_andTakesItBackOnUndo(Jdk jdk) {
    Path update = update("deny-curl", "DenyCurl.java");
    try (ProbedJvm jvm = start(jdk)) {
      assertThat(jvm.probe()).isEqualTo("held=true fresh=true");
      String pid = Long.toString(jvm.pid());
      CliRun apply = apply(jvm, update);
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).isEqualTo("held=false fresh=false");
      CliRun undo = CliRun.of("undo", pid, "deny-curl");
      assertThat(undo.exit()).as(undo.toString()).isZero();
      assertThat(jvm.probe()).isEqualTo("held=true fresh=true");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void hook_findsTheObjectsTheProgramHolds_onTheHeap(Jdk jdk) {
    Path update = update("finds-guards", "FindsGuards.java");
    try (ProbedJvm jvm = start(jdk)) {
      CliRun apply = apply(jvm, update);
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void apply_whenTheHookThrows_leavesTheJvmAsItWas(Jdk jdk) {
    Path update = update("failing", "Failing.java");
    try (ProbedJvm jvm = start(jdk)) {
      CliRun apply = apply(jvm, update);
      assertThat(apply.exit()).as(apply.toString()).isEqualTo(FailureCause.HOOK_FAILED.exitCode());
      assertThat(apply.err())
          .contains("hook Failing of failing failed after apply")
          .contains("not in a state this hook knows");
      assertThat(jvm.probe()).as("no class switched").isEqualTo("held=true fresh=true");
      CliRun show = CliRun.of("show", Long.toString(jvm.pid()));
      assertThat(show.out()).contains("0 update(s) applied");
    }
  }
}
