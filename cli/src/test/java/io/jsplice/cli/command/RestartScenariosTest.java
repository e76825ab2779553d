package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restart-safety scenarios with a real library and real JVMs (JDK 17 and 25): commons-text 1.9,
 * vulnerable to Text4Shell, its fixed release 1.10.0, and an update between them. Each scenario
 * asserts what {@code jsplice verify} and {@code jsplice stale} say, then restarts the JVM with the
 * same command line and asserts what it does.
 */
class RestartScenariosTest {
  private static CommonsTextReleases releases;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @BeforeAll
  static void resolveReleasesAndBuildTheUpdate() {
    releases = CommonsTextReleases.get();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jarUnchanged_sameCodeAfterRestart(Jdk jdk) throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      service.start(true).assertVulnerable();

      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isZero();
      assertThat(verify.json().string("verdict")).isEqualTo("SAME_CODE");
      assertThat(codeSource(verify.json(), service.libraryPath(releases.text19())).string("state"))
          .isEqualTo("UNCHANGED");
      Cli stale = Cli.run("stale", "--json", pid(service));
      assertThat(stale.exitCode).as(stale.text()).isZero();
      assertThat(onlyJvm(stale).string("state")).isEqualTo("CURRENT");

      service.restart(true).assertVulnerable();
      assertThat(Cli.run("verify", pid(service)).exitCode).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jarReplacedByTheFixedRelease_differentCodeAfterRestart(Jdk jdk) throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      // No agent at start: what can be told without it, then with it loaded on demand.
      service.start(false).assertVulnerable();
      service.replaceLibrary(releases.text110());

      Cli withoutAgent = Cli.run("stale", "--json", pid(service));
      assertThat(withoutAgent.exitCode).as(withoutAgent.text()).isEqualTo(42);
      JsonObject row = onlyJvm(withoutAgent);
      assertThat(row.string("state")).isEqualTo("POSSIBLY_STALE");
      // Told by the file the JVM holds open, not by clocks: the jar may have been replaced
      // within the milliseconds Linux cannot resolve the JVM's start to. Jars written just before
      // the start may be listed as possibly changed, never as certainly changed.
      assertThat(row.objects("classPathChanges"))
          .filteredOn(change -> change.bool("certain", false))
          .singleElement()
          .satisfies(
              change -> {
                assertThat(change.string("path")).isEqualTo(service.libraryPath(releases.text19()));
                assertThat(change.string("what")).contains("replaced after the JVM opened it");
              });
      assertThat(Cli.run("verify", pid(service)).exitCode).isEqualTo(21); // needs the agent

      Cli stale = Cli.run("stale", "--attach", "--json", pid(service));
      assertThat(stale.exitCode).as(stale.text()).isEqualTo(42);
      assertThat(onlyJvm(stale).string("state")).isEqualTo("STALE");
      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isEqualTo(40);
      JsonObject library = codeSource(verify.json(), service.libraryPath(releases.text19()));
      assertThat(library.string("state")).isEqualTo("CHANGED");
      assertThat(library.strings("differing"))
          .contains("org.apache.commons.text.StringSubstitutor");

      service.restart(false).assertFixed();
      Cli after = Cli.run("stale", "--attach", pid(service));
      assertThat(after.exitCode).as(after.text()).isZero();
      assertThat(Cli.run("verify", pid(service)).exitCode).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void updateAppliedJarUnchanged_reappliesAtRestart(Jdk jdk) throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      service.start(true).assertVulnerable();
      Cli apply = Cli.run("apply", pid(service), releases.update().toString());
      assertThat(apply.exitCode).as(apply.text()).isZero();
      assertThat(apply.out).contains("recorded for service " + Text4ShellService.SERVICE);
      service.assertFixed();
      Cli shown = Cli.run("show", pid(service));
      assertThat(shown.out).as(shown.text()).contains("commons-text 1.9, effectively 1.10.0");

      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isZero();
      JsonObject update = update(verify.json());
      assertThat(update.string("disk")).isEqualTo("APPLIES");
      assertThat(update.bool("reappliedAtRestart", false)).isTrue();
      assertThat(Cli.run("stale", pid(service)).exitCode).isZero();

      service.restart(true).assertFixed();
      JsonObject show = Cli.run("show", "--json", pid(service)).json();
      assertThat(show.object("service").objects("reappliedAtStart"))
          .singleElement()
          .satisfies(o -> assertThat(o.bool("reapplied", false)).isTrue());
      assertThat(show.objects("loadedAfterApply"))
          .anySatisfy(
              e -> {
                assertThat(e.string("class"))
                    .isEqualTo("org.apache.commons.text.StringSubstitutor");
                assertThat(e.optString("update")).isEqualTo(CommonsTextReleases.UPDATE_ID);
              });
      Cli again = Cli.run("verify", pid(service));
      assertThat(again.exitCode).as(again.text()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void restartsWithTheSameJar_installWhatWasChecked_otherBytesAreCheckedAgain(Jdk jdk)
      throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      service.start(true);
      assertThat(Cli.run("apply", pid(service), releases.update().toString()).exitCode).isZero();

      // The first restart checks StringSubstitutor's bytes as it loads and remembers them.
      service.restart(true).assertFixed();
      assertThat(installedAsChecked(service)).isFalse();
      service.restart(true).assertFixed();
      assertThat(installedAsChecked(service)).isTrue();

      // Other bytes under the same name: the remembered check does not hold for them.
      service.replaceLibrary(releases.text18());
      service.restart(true).assertVulnerable();
      assertThat(installedAsChecked(service)).isFalse();
      loadedUnpatched(service);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void updateAppliedJarUpgradedToTheFix_updateNoLongerNeeded(Jdk jdk) throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      service.start(true);
      assertThat(Cli.run("apply", pid(service), releases.update().toString()).exitCode).isZero();
      service.assertFixed();
      service.replaceLibrary(releases.text110());

      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isEqualTo(40);
      assertThat(update(verify.json()).string("disk")).isEqualTo("FIXED");
      assertThat(verify.json().string("line")).contains("no longer needed");
      assertThat(Cli.run("stale", pid(service)).exitCode).isEqualTo(42);

      service.restart(true).assertFixed();
      // The record still names the update; the upgraded classes do not match it, and show says so.
      assertThat(loadedUnpatched(service).string("mismatch")).contains("matches no applied update");
      Cli after = Cli.run("verify", pid(service));
      assertThat(after.exitCode).as(after.text()).isZero();
      assertThat(after.out).contains("undo it");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void updateAppliedJarReplacedByAnotherVulnerableRelease_wouldLoseTheFix(Jdk jdk)
      throws IOException {
    try (Text4ShellService service = Text4ShellService.plain(work(jdk), jdk, releases.text19())) {
      service.start(true);
      assertThat(Cli.run("apply", pid(service), releases.update().toString()).exitCode).isZero();
      service.assertFixed();
      service.replaceLibrary(releases.text18());

      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isEqualTo(41);
      assertThat(verify.json().string("verdict")).isEqualTo("WOULD_LOSE_FIX");
      assertThat(update(verify.json()).string("disk")).isEqualTo("DIFFERS");
      assertThat(Cli.run("stale", pid(service)).exitCode).isEqualTo(42);

      // What verify warned about: the restart comes back vulnerable, and says why.
      service.restart(true).assertVulnerable();
      loadedUnpatched(service);
      Cli after = Cli.run("verify", pid(service));
      assertThat(after.out).contains("NOT in force");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void nestedJarApplication_comparedByContentInsideTheFatJar(Jdk jdk) throws IOException {
    try (Text4ShellService service = Text4ShellService.fatJar(work(jdk), jdk, releases.text19())) {
      service.start(true).assertVulnerable();
      assertThat(Cli.run("apply", pid(service), releases.update().toString()).exitCode).isZero();
      service.assertFixed();

      Cli verify = Cli.run("verify", "--json", pid(service));
      assertThat(verify.exitCode).as(verify.text()).isZero();
      JsonObject nested = codeSource(verify.json(), service.libraryPath(releases.text19()));
      assertThat(nested.string("kind")).isEqualTo("nested jar");
      assertThat(nested.string("state")).isEqualTo("UNCHANGED");
      assertThat(update(verify.json()).string("disk")).isEqualTo("APPLIES");
      assertThat(Cli.run("stale", pid(service)).exitCode).isZero();

      service.replaceLibrary(
          releases.text110()); // a new app.jar with BOOT-INF/lib/commons-text-1.10.0.jar

      Cli upgraded = Cli.run("verify", "--json", pid(service));
      assertThat(upgraded.exitCode).as(upgraded.text()).isEqualTo(40);
      JsonObject gone = codeSource(upgraded.json(), service.libraryPath(releases.text19()));
      assertThat(gone.string("replacedBy")).isEqualTo(service.libraryPath(releases.text110()));
      assertThat(gone.strings("differing")).contains("org.apache.commons.text.StringSubstitutor");
      assertThat(update(upgraded.json()).string("disk")).isEqualTo("FIXED");
      Cli stale = Cli.run("stale", "--json", pid(service));
      assertThat(stale.exitCode).as(stale.text()).isEqualTo(42);
      assertThat(onlyJvm(stale).string("state")).isEqualTo("STALE");

      service.restart(true).assertFixed();
      assertThat(Cli.run("stale", pid(service)).exitCode).isZero();
    }
  }

  private static Path work(Jdk jdk) throws IOException {
    return Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "restart-scenarios")), "jdk" + jdk.feature())
        .toAbsolutePath();
  }

  /**
   * Whether the running JVM's agent installed the fix of StringSubstitutor as an earlier start had
   * checked it, by the agent's log: the line is written before the class's load returns.
   */
  private static boolean installedAsChecked(Text4ShellService service) throws IOException {
    String jvm = "pid " + service.pid() + " ";
    return Files.readAllLines(service.stateDir().resolve(Text4ShellService.SERVICE + ".log"))
        .stream()
        .anyMatch(
            line ->
                line.contains(jvm)
                    && line.contains("StringSubstitutor: the very bytes an earlier start checked"));
  }

  /** The event {@code show} lists for StringSubstitutor having loaded unpatched in the JVM. */
  private static JsonObject loadedUnpatched(Text4ShellService service) {
    JsonObject show = Cli.run("show", "--json", pid(service)).json();
    return show.objects("loadedAfterApply").stream()
        .filter(
            e ->
                e.string("class").equals("org.apache.commons.text.StringSubstitutor")
                    && e.optString("update") == null)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "show lists no unpatched load of StringSubstitutor: " + show.asMap()));
  }

  private static String pid(Text4ShellService service) {
    return Long.toString(service.pid());
  }

  private static JsonObject codeSource(JsonObject verify, String path) {
    return verify.objects("codeSources").stream()
        .filter(s -> path.equals(s.optString("path")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no code source " + path + " in " + verify.asMap()));
  }

  private static JsonObject update(JsonObject verify) {
    return verify.objects("updates").stream()
        .filter(u -> u.string("id").equals(CommonsTextReleases.UPDATE_ID))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no update in " + verify.asMap()));
  }

  private static JsonObject onlyJvm(Cli stale) {
    List<JsonObject> jvms = stale.json().objects("jvms");
    assertThat(jvms).as(stale.text()).hasSize(1);
    return jvms.get(0);
  }

  /** One run of the CLI, in this JVM. */
  static final class Cli {
    final int exitCode;
    final String out;
    final String err;

    private Cli(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    static Cli run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      return new Cli(code, out.toString(), err.toString());
    }

    JsonObject json() {
      return JsonObject.parse(out);
    }

    String text() {
      return "exit " + exitCode + "\n" + out + err;
    }
  }
}
