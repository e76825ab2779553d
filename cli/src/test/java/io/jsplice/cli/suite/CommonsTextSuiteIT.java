package io.jsplice.cli.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.cli.suite.SuiteComparison.Category;
import io.jsplice.cli.suite.SuiteComparison.Row;
import io.jsplice.client.Agents;
import io.jsplice.protocol.AgentArguments;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4's acceptance check, with the library's own tests: commons-text 1.10.0's published test
 * suite, run in a JVM that loaded and used commons-text 1.9 and was then updated to 1.10.0 live by
 * {@code jsplice apply}, has none of the failures 1.9 has on what the tests check, and nothing that
 * passes on 1.9 fails. Tests that cannot pass because they call API that 1.10.0 adds are counted
 * apart (docs/commons-text-suite.md explains them), and so are tests that fail on 1.10.0 itself
 * here (no network, no JavaScript engine).
 *
 * <p>Per JDK, three JVMs run the suite at the same time: cold on 1.10.0, cold on 1.9, and the live
 * one. Each writes per-test results and the launcher's XML reports under {@code
 * target/commons-text-suite/jdkN/}, with {@code summary.txt}. CPU-bound: 3.5 to 8 minutes per JDK
 * on a busy 2-core machine.
 */
class CommonsTextSuiteIT {
  private static final Duration READY = Duration.ofMinutes(2);
  private static final Duration SUITE = Duration.ofMinutes(20);

  /** The Text4Shell regression tests of 1.10.0 (CVE-2022-42889). */
  private static final List<String> TEXT4SHELL_TESTS =
      List.of(
          "StringSubstitutorWithInterpolatorStringLookupTest.testDnsLookup_disabledByDefault()",
          "StringSubstitutorWithInterpolatorStringLookupTest.testJavaScript_disabledByDefault()");

  private static final String UNRESOLVED_DNS = "${dns:address|localhost}";

  private static Path root;
  private static CommonsTextSuite suite;
  private static Path update;
  private static Path certificate;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @BeforeAll
  static void buildTheUpdate() throws Exception {
    root = Path.of("target", "commons-text-suite").toAbsolutePath();
    Compiler.deleteTree(root);
    suite = CommonsTextSuite.prepare(root.resolve("work"));
    Path key = root.resolve("keys").resolve("suite");
    jsplice("keygen", key.toString());
    certificate = root.resolve("keys").resolve("suite.pem");
    update = root.resolve("commons-text-1.10.0.jsplice");
    String report =
        jsplice(
            "create",
            "--from",
            "org.apache.commons:commons-text:" + CommonsTextSuite.VULNERABLE,
            "--to",
            "org.apache.commons:commons-text:" + CommonsTextSuite.FIXED,
            "--key",
            key + ".p12",
            "-o",
            update.toString());
    Files.writeString(root.resolve("create-report.txt"), report);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void liveUpdatedSuite_fixesEveryBehaviourFailureOfTheVulnerableReleaseAndBreaksNothing(Jdk jdk)
      throws Exception {
    Path dir = root.resolve("jdk" + jdk.feature());
    String liveOutput = runThreeWays(jdk, dir);

    SuiteComparison suiteRuns =
        new SuiteComparison(
            SuiteResults.read(dir.resolve("cold-fixed/results.tsv")),
            SuiteResults.read(dir.resolve("cold-vulnerable/results.tsv")),
            SuiteResults.read(dir.resolve("live-updated/results.tsv")),
            suite.addedApi());
    String summary =
        suiteRuns.summary(
            "commons-text "
                + CommonsTextSuite.FIXED
                + " test suite on "
                + jdk
                + ": cold on each release, and on "
                + CommonsTextSuite.VULNERABLE
                + " updated live");
    Files.writeString(dir.resolve("summary.txt"), summary);
    System.out.println(summary);

    // The baselines reproduce the vulnerable release's failures, Text4Shell among them.
    assertThat(suiteRuns.rows(Category.BEHAVIOUR))
        .as(summary)
        .extracting(Row::name)
        .containsAll(TEXT4SHELL_TESTS)
        .hasSize(12);
    assertThat(liveOutput)
        .as("the application used commons-text 1.9 and resolved DNS before the update")
        .contains("version=" + CommonsTextSuite.VULNERABLE, "dns-before=")
        .doesNotContain("dns-before=" + UNRESOLVED_DNS);
    assertThat(liveOutput)
        .as("Text4Shell is fixed for an interpolator built before the update, and a new one")
        .contains("dns-after-old-interpolator=" + UNRESOLVED_DNS)
        .contains("dns-after-new-interpolator=" + UNRESOLVED_DNS);

    assertThat(suiteRuns.behaviourFailuresLeft()).as(summary).isEmpty();
    assertThat(suiteRuns.regressions()).as(summary).isEmpty();
    assertThat(suiteRuns.liveContainerFailures()).as(summary).isEmpty();
    assertThat(suiteRuns.addedApiMisbehaving())
        .as("tests of added API may fail live only to link against it\n" + summary)
        .isEmpty();
    assertThat(suiteRuns.addedApiFailures())
        .as("each names a class or member that 1.10.0 adds\n" + summary)
        .allSatisfy(r -> assertThat(suiteRuns.addedMember(r)).isNotNull());
  }

  /**
   * Runs the suite cold on each release and on the vulnerable one updated live, at the same time;
   * returns what the live one printed.
   */
  private static String runThreeWays(Jdk jdk, Path dir) throws Exception {
    try (TargetJvm fixed =
            suite.start(jdk, CommonsTextSuite.FIXED, false, dir.resolve("cold-fixed"));
        TargetJvm vulnerable =
            suite.start(jdk, CommonsTextSuite.VULNERABLE, false, dir.resolve("cold-vulnerable"));
        TargetJvm live =
            suite.start(jdk, CommonsTextSuite.VULNERABLE, true, dir.resolve("live-updated"))) {
      live.awaitStdout("ready for the update", READY);
      // The agent keeps its state and log under target/; apply finds it running.
      Agents.fromSystemProperty()
          .load(
              live.pid(),
              AgentArguments.parse("state=" + dir.resolve("agent") + ",trust=" + certificate));
      // The whole release also rewrites constructors (AggregateTranslator, StringTokenizer, ...)
      // whose old objects the suite's JVM holds (StringEscapeUtils' translators): jsplice cannot
      // prove the rewrites change nothing, so the apply is only partly in force, and says so.
      String applied =
          jsplice(
              "apply",
              String.valueOf(live.pid()),
              update.toString(),
              "--trust",
              certificate.toString(),
              "--accept-partial");
      assertThat(applied)
          .contains("PARTLY IN FORCE (accepted)")
          .contains("objects of org.apache.commons.text.translate.AggregateTranslator");
      Files.writeString(dir.resolve("apply.txt"), applied);
      live.sendLine("applied");

      for (TargetJvm run : List.of(fixed, vulnerable, live)) {
        assertThat(run.awaitExit(SUITE)).as("exit code of %s\n%s", run, run.outputs()).isZero();
      }
      Files.writeString(dir.resolve("live-stdout.txt"), live.stdout());
      return live.stdout();
    }
  }

  /** Runs a jsplice command in this JVM; returns its output, or fails with both outputs. */
  private static String jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code)
        .as("jsplice %s\n--- stdout:\n%s--- stderr:\n%s", String.join(" ", args), out, err)
        .isZero();
    return out.toString();
  }
}
