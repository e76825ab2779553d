package io.jsplice.cli.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.corpus.CorpusCase.Release;
import io.jsplice.cli.live.CliRun;
import io.jsplice.cli.live.ProbedJvm;
import io.jsplice.model.Tripwire;
import io.jsplice.model.json.JsonObject;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exploit tripwires in an update built by hand: {@code jsplice create} puts them where the fixed
 * release throws and the vulnerable one had no such throw (jettison 1.5.1's tokenizer reports a
 * JSON text malformed where 1.5.0 recursed until the stack overflowed), its report and {@code
 * inspect} name them, and after {@code apply} an exploit attempt against the JVM is rejected by the
 * fixed code and recorded: {@code show} (from the agent's {@code tripwires} op) reports it with the
 * update and its CVE. {@code --no-tripwires} builds the same fix without them.
 */
class CreatedTripwiresLiveTest {
  private static final CorpusCase JETTISON = CorpusCases.JETTISON;
  private static final Path WORK = CorpusProbes.WORK.resolve("tripwires");

  @BeforeAll
  static void keys() throws Exception {
    Files.createDirectories(WORK);
    if (!Files.exists(
        WORK.resolve("k.p12"))) { // kept from an earlier run: keygen refuses to overwrite
      assertThat(CliRun.of("keygen", WORK.resolve("k").toString()).exit()).isZero();
    }
  }

  @Test
  void anUpdateCreatedByTheCli_recordsTheExploitAttemptItRejects_andShowReportsIt()
      throws Exception {
    String id = "jettison-tripwires";
    CliRun create = create(id);
    Path update = file(id);
    List<Tripwire> tripwires = UpdateFile.open(update).update().update().tripwires();
    assertThat(tripwires).as(create.toString()).isNotEmpty();
    CliRun inspect = CliRun.of("inspect", update.toString());
    for (Tripwire t : tripwires) {
      assertThat(t.site()).startsWith("org.codehaus.jettison.");
      assertThat(create.out()).as("create's report").contains("- " + t.site());
      assertThat(inspect.out()).as("inspect").contains("- " + t.site() + "  (");
    }
    assertThat(create.out()).contains("tripwires " + tripwires.size() + ": ");

    try (ProbedJvm jvm = start()) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).contains(JETTISON.vulnerableResult());
      CliRun apply = apply(pid, update);
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(hits(pid)).as("no attempt yet").isEmpty();

      assertThat(jvm.probe()).as(jvm.outputs()).contains(JETTISON.fixedResult());

      List<JsonObject> hits = hits(pid);
      assertThat(hits).as("the attempts the fixed tokenizer rejected").isNotEmpty();
      List<String> sites = tripwires.stream().map(Tripwire::site).toList();
      for (JsonObject hit : hits) {
        assertThat(hit.string("updateId")).isEqualTo(id);
        assertThat(hit.string("cve")).isEqualTo(JETTISON.cve());
        assertThat(sites).contains(hit.string("site"));
        assertThat(hit.string("detail")).contains("malformed");
      }
      CliRun show = CliRun.of("show", pid);
      assertThat(show.out())
          .as(show.toString())
          .contains("exploit attempts blocked: " + hits.size())
          .contains(id + " (" + JETTISON.cve() + ") at " + hits.get(0).string("site"));
    }
  }

  @Test
  void noTripwires_buildsTheFixWithoutThem_andNothingIsRecorded() throws Exception {
    CliRun create = create("jettison-no-tripwires", "--no-tripwires");
    Path update = file("jettison-no-tripwires");
    assertThat(UpdateFile.open(update).update().update().tripwires()).isEmpty();
    assertThat(create.out()).doesNotContain("tripwires ");
    assertThat(CliRun.of("inspect", update.toString()).out()).doesNotContain("tripwires ");

    try (ProbedJvm jvm = start()) {
      String pid = Long.toString(jvm.pid());
      CliRun apply = apply(pid, update);
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();

      assertThat(jvm.probe()).as("the fix is in force").contains(JETTISON.fixedResult());

      assertThat(hits(pid)).isEmpty();
      assertThat(CliRun.of("show", pid).out()).doesNotContain("exploit attempts blocked");
    }
  }

  private static Path file(String id) {
    return WORK.resolve(id + ".jsplice");
  }

  /**
   * {@code jsplice create} of the jettison fix as {@code id}; fails the test unless it succeeds.
   */
  private static CliRun create(String id, String... options) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "create",
                "--from",
                JETTISON.vulnerableCoordinates(),
                "--to",
                JETTISON.fixedCoordinates(),
                "--cve",
                JETTISON.cve(),
                "--id",
                id,
                "--key",
                WORK.resolve("k.p12").toString(),
                "-o",
                file(id).toString()));
    args.addAll(List.of(options));
    CliRun create = CliRun.of(args.toArray(String[]::new));
    assertThat(create.exit()).as(create.toString()).isZero();
    return create;
  }

  private static ProbedJvm start() throws Exception {
    return CorpusProbes.start(JETTISON, Release.VULNERABLE, Jdk.current(), List.of());
  }

  private static CliRun apply(String pid, Path update) {
    return CliRun.of("apply", pid, update.toString(), "--trust", WORK.resolve("k.pem").toString());
  }

  /** The hits {@code show --json} reports, as the agent's {@code tripwires} op answered. */
  private static List<JsonObject> hits(String pid) {
    CliRun show = CliRun.of("show", pid, "--json");
    assertThat(show.exit()).as(show.toString()).isZero();
    return JsonObject.parse(show.out()).object("tripwires").objects("hits");
  }
}
