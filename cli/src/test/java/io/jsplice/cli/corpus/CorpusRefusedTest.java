package io.jsplice.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.cli.corpus.CorpusCase.Release;
import io.jsplice.cli.live.ProbedJvm;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixes of the development corpus that jsplice does not put in force live ({@link
 * CorpusLiveUpdateTest#LIVE} lists those it does): never a silent non-fix. The update is the live
 * subset of the release pair ({@code --live-subset}). Either {@code create} refuses to build it, or
 * {@code apply} refuses it with a non-zero exit and the program keeps its behaviour exactly (the
 * probe still shows the vulnerable release), or, should the apply succeed, the probe shows the fix
 * in force for the state the program built before it. Prints the outcome of each fix.
 */
class CorpusRefusedTest {
  private static final Path WORK = CorpusProbes.WORK.resolve("refused");
  private static final Map<String, String> outcomes = new TreeMap<>();
  private static final Map<String, Run> creates = new java.util.HashMap<>();
  private static Path key;
  private static Path certificate;

  @BeforeAll
  static void keys() throws IOException {
    Files.createDirectories(WORK);
    Path base = WORK.resolve("keys").resolve("refused");
    certificate = base.resolveSibling("refused.pem");
    key = base.resolveSibling("refused.p12");
    if (!Files.exists(key)) {
      Files.createDirectories(base.getParent());
      assertThat(jsplice("keygen", base.toString()).exit()).isZero();
    }
  }

  @AfterAll
  static void table() {
    System.out.println("fixes of the development corpus not in force live:");
    outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
  }

  /** {@code -Djsplice.corpus.only=CVE-A,CVE-B} runs only those cases (all by default). */
  static Stream<Arguments> cases() {
    List<String> only =
        List.of(System.getProperty("jsplice.corpus.only", "").split(",")).stream()
            .filter(s -> !s.isBlank())
            .toList();
    List<Arguments> out = new ArrayList<>();
    for (CorpusCase c : CorpusCases.all()) {
      if (!CorpusLiveUpdateTest.LIVE.contains(c) && (only.isEmpty() || only.contains(c.cve()))) {
        for (Jdk jdk : Jdk.underTest()) {
          out.add(Arguments.of(c, jdk));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}", allowZeroInvocations = true) // none under some "only"
  @MethodSource("cases")
  void aFixNotInForce_isRefused_andTheProgramKeepsItsBehaviour(CorpusCase c, Jdk jdk)
      throws IOException {
    Path update = WORK.resolve(c.cve() + ".jsplice");
    Run created = creates.computeIfAbsent(c.cve(), cve -> create(c, update));
    if (created.exit() != 0) {
      assertThat(update).as("a refused create writes no update").doesNotExist();
      assertThat(created.err().strip()).as(created.all()).isNotEmpty();
      outcomes.put(
          c.cve() + " " + c.library() + " on " + jdk,
          "create refuses (exit " + created.exit() + "): " + firstLine(created.err()));
      return;
    }
    try (ProbedJvm jvm = CorpusProbes.start(c, Release.VULNERABLE, jdk, List.of())) {
      assertThat(jvm.probe()).as("before the update").contains(c.vulnerableResult());
      Run applied =
          jsplice(
              "apply",
              Long.toString(jvm.pid()),
              update.toString(),
              "--trust",
              certificate.toString());
      String after = jvm.probe();
      if (applied.exit() == 0) {
        assertThat(after)
            .as("an apply that succeeds puts the fix in force\n" + applied.all() + jvm.outputs())
            .contains(c.fixedResult());
        outcomes.put(c.cve() + " " + c.library() + " on " + jdk, "applied and in force");
      } else {
        assertThat(applied.exit())
            .as(
                "refused for what the update does, not because no agent could be loaded\n"
                    + applied.all())
            .isNotIn(20, 21);
        assertThat(after)
            .as("a refused apply leaves the program as it was\n" + applied.all())
            .contains(c.vulnerableResult());
        assertThat(jsplice("show", Long.toString(jvm.pid())).out())
            .as("nothing recorded as applied")
            .doesNotContain(c.cve());
        outcomes.put(
            c.cve() + " " + c.library() + " on " + jdk,
            "apply refuses (exit " + applied.exit() + "): " + firstLine(applied.err()));
      }
    }
  }

  /** Builds and signs the update with {@code jsplice create}, from Maven Central. */
  private static Run create(CorpusCase c, Path update) {
    try {
      Files.deleteIfExists(update);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("create"));
    c.artifacts(Release.VULNERABLE).forEach(from -> args.addAll(List.of("--from", from)));
    c.artifacts(Release.FIXED).forEach(to -> args.addAll(List.of("--to", to)));
    args.addAll(List.of("--cve", c.cve(), "--key", key.toString(), "-o", update.toString()));
    // The largest part that applies live: the one an operator would try when the whole release
    // does not (an apply that succeeds must then put the fix in force for the state built before).
    args.add("--live-subset");
    return jsplice(args.toArray(String[]::new));
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  private record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n" + out + err;
    }
  }

  private static Run jsplice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
