package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.live.CliRun;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fix whose code calls into an API {@code create} was not given (a provided dependency, as
 * spring-web and the servlet API, which its POM does not name): {@code create} cannot check that
 * the running JVM has what the code uses there, and says so, in one line counting those classes,
 * with their names per class in {@code inspect} and {@code --json}. Given the API, it checks them
 * and says nothing.
 */
class UncheckedReferencesReportTest {
  @TempDir Path work;

  private Path api;
  private Path from;
  private Path to;

  private static final String REQUEST =
      "package api; public interface Request { String header(String name); }";

  private static final String FILTER_V1 =
      "package lib; public class Filter {"
          + " public static boolean allow(api.Request r) { return true; } }";

  /** The fix reads a header: a call into the API. */
  private static final String FILTER_V2 =
      "package lib; public class Filter {"
          + " public static boolean allow(api.Request r) {"
          + " return !String.valueOf(r.header(\"Host\")).contains(\"..\"); } }";

  @BeforeEach
  void build() throws Exception {
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    api = Jars.write(work.resolve("api.jar"), javac.compile("api/Request.java", REQUEST));
    Compiler withApi = Compiler.with(Jdk.current()).options("--release", "17").classpath(api);
    from = Jars.write(work.resolve("lib-1.jar"), withApi.compile("lib/Filter.java", FILTER_V1));
    to = Jars.write(work.resolve("lib-2.jar"), withApi.compile("lib/Filter.java", FILTER_V2));
  }

  /** {@code create} from lib-1 to lib-2 into {@code output}, with {@code options}. */
  private CliRun create(String output, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "create",
                "--from",
                from.toString(),
                "--to",
                to.toString(),
                "-o",
                work.resolve(output).toString()));
    args.addAll(List.of(options));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void create_withoutTheApi_countsTheClassesItCouldNotCheck_andInspectNamesThem() {
    CliRun create = create("u.jsplice");

    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out().lines().filter(l -> l.contains("not checked")).toList())
        .as(create.toString())
        .singleElement()
        .asString()
        .contains("the update's code uses 1 class create was not given")
        .contains("create --dependencies");

    CliRun inspect = CliRun.of("inspect", work.resolve("u.jsplice").toString());
    assertThat(inspect.out())
        .as(inspect.toString())
        .contains("lib.Filter  [modified, live]")
        .contains("lib.Filter uses api.Request, which create was not given");

    CliRun json = create("j.jsplice", "--json");
    assertThat(json.out())
        .as(json.toString())
        .contains("lib.Filter uses api.Request, which create was not given");
  }

  @Test
  void create_givenTheApi_checksItAndSaysNothing() {
    CliRun create = create("u.jsplice", "--dependencies", api.toString(), "--verbose");

    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out()).as(create.toString()).doesNotContain("not checked");
  }

  @Test
  void create_givenTheApi_countsNoClassOfJspliceItself() throws Exception {
    // The fix adds a method and a field, which a companion holds: the update's own class, not one
    // create was not given (commons-io 2.21.0 counted 16 such, companions and
    // io.jsplice.bootstrap).
    Path withCompanion =
        Jars.write(
            work.resolve("lib-3.jar"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(api)
                .compile(
                    "lib/Filter.java",
                    "package lib; public class Filter { static int refused;"
                        + " public static boolean allow(api.Request r) {"
                        + " if (climbs(r.header(\"Host\"))) { refused++; return false; }"
                        + " return true; }"
                        + " private static boolean climbs(String h) {"
                        + " return String.valueOf(h).contains(\"..\"); } }"));
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            from.toString(),
            "--to",
            withCompanion.toString(),
            "-o",
            work.resolve("u.jsplice").toString(),
            "--dependencies",
            api.toString(),
            "--verbose");

    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out()).as(create.toString()).contains("$$jsplice$");
    assertThat(create.out()).as(create.toString()).doesNotContain("not checked");
  }

  @Test
  void create_givenTheApi_refusesACallTheApiDoesNotHave() throws Exception {
    Path olderApi =
        Jars.write(
            work.resolve("api-0.jar"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .compile("api/Request.java", "package api; public interface Request { }"));
    CliRun create = create("u.jsplice", "--dependencies", olderApi.toString(), "--verbose");

    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out())
        .as(create.toString())
        .contains("which the running JVM will not have")
        .doesNotContain("not checked");
  }
}
