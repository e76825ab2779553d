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
 * An exploit attempted before the update fails after it, although the library cached what its old
 * check decided: {@code jsplice apply} clears the caches the fixed release fills with results of
 * the changed check and recomputes on a miss (a static map filled by {@code computeIfAbsent}, a map
 * an object holds filled by get-miss-compute-put, a field an object computes on first use), so the
 * fixed check runs for the cached input too. Undo clears them again.
 */
class DerivedCachesLiveTest {
  /** The check the fix changes: its deny-list, built in the static initializer. */
  private static final String CHECK_V1 =
      """
      package lib;
      import java.util.*;
      public final class Check {
        private static final Set<String> DENIED = new HashSet<>(Arrays.asList("rm"));
        private Check() {}
        public static boolean allowed(String command) { return !DENIED.contains(command); }
        public static Set<String> denied() { return new TreeSet<>(DENIED); }
      }
      """;

  private static final String CHECK_V2 =
      CHECK_V1.replace("Arrays.asList(\"rm\")", "Arrays.asList(\"rm\", \"curl\")");

  /** Unchanged classes of the release that remember what the check said. */
  private static final Map<String, String> CACHING =
      Map.of(
          "lib/Verdicts.java",
          """
          package lib;
          import java.util.concurrent.*;
          public final class Verdicts {
            private static final ConcurrentMap<String, Boolean> GLOBAL = new ConcurrentHashMap<>();
            private Verdicts() {}
            public static boolean allowed(String command) { return GLOBAL.computeIfAbsent(command, Check::allowed); }
          }
          """,
          "lib/Resolver.java",
          """
          package lib;
          import java.util.*;
          public class Resolver {
            private final Map<String, Boolean> cache = new HashMap<>();
            public synchronized boolean allowed(String command) {
              Boolean known = cache.get(command);
              if (known == null) {
                known = Check.allowed(command);
                cache.put(command, known);
              }
              return known;
            }
          }
          """,
          "lib/Policy.java",
          """
          package lib;
          import java.util.*;
          public class Policy {
            private Set<String> denied;
            public synchronized boolean allowed(String command) {
              if (denied == null) {
                denied = Check.denied();
              }
              return !denied.contains(command);
            }
          }
          """);

  /** Each cache asked for curl before the update: the exploit attempted before. */
  private static final String APP =
      """
      public class App {
        static final lib.Resolver RESOLVER = new lib.Resolver();
        static final lib.Policy POLICY = new lib.Policy();
        public static void main(String[] args) throws Exception {
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            System.out.println("RESULT global=" + lib.Verdicts.allowed("curl")
                + " resolver=" + RESOLVER.allowed("curl") + " policy=" + POLICY.allowed("curl"));
          }
        }
      }
      """;

  private static final String VULNERABLE = "global=true resolver=true policy=true";
  private static final String FIXED = "global=false resolver=false policy=false";

  @TempDir static Path work;
  private static LiveLibrary library;

  @BeforeAll
  static void build() throws IOException {
    library = LiveLibrary.build(work, "lib", "caches", compile(CHECK_V1), compile(CHECK_V2), APP);
  }

  private static Map<String, byte[]> compile(String check) {
    Map<String, String> sources = new java.util.HashMap<>(CACHING);
    sources.put("lib/Check.java", check);
    return Compiler.with(Jdk.current()).options("--release", "17").compile(sources);
  }

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anExploitAttemptedBeforeTheUpdate_failsAfterIt(Jdk jdk) {
    assertThat(library.create().out())
        .as("the report names each cache")
        .contains("the cache lib.Verdicts.GLOBAL is cleared")
        .contains("clear the cache lib.Resolver.cache of existing objects")
        .contains("reset the lazily computed lib.Policy.denied")
        .doesNotContain("not in force");
    try (ProbedJvm jvm = library.start(jdk)) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).as("the exploit, attempted before the update").isEqualTo(VULNERABLE);

      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(apply.out()).startsWith("applied caches to JVM " + pid + " (");
      assertThat(jvm.probe()).as("the same exploit after it").isEqualTo(FIXED);

      CliRun undo = CliRun.of("undo", pid, "caches");
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as("after undo: the old check, computed again").isEqualTo(VULNERABLE);
    }
  }
}
