package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.live.CliRun;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads first when an update cannot be applied live: the verdict with its blocking
 * causes counted by kind, then at most a dozen classes (the patched ones, never a companion), and
 * where the rest of the detail is.
 */
class CreateRefusalReportTest {
  @TempDir Path work;

  private Path jar(String name, Map<String, String> sources) throws Exception {
    return Jars.write(
        work.resolve(name),
        Compiler.with(Jdk.current()).options("--release", "17").compile(sources));
  }

  @Test
  void create_startsWithTheVerdictAndCausesByKind_thenADozenClasses() throws Exception {
    Map<String, String> v1 = new HashMap<>();
    Map<String, String> v2 = new HashMap<>();
    v1.put("lib/Base.java", "package lib; public class Base { }");
    v2.put("lib/Base.java", "package lib; public class Base { }");
    for (int i = 0; i < 14; i++) {
      v1.put("lib/C" + i + ".java", "package lib; public class C" + i + " { }");
      v2.put("lib/C" + i + ".java", "package lib; public class C" + i + " extends Base { }");
    }
    v1.put(
        "lib/Mode.java",
        "package lib; public enum Mode { A; public static Mode of(String s) { return valueOf(s); } }");
    v2.put(
        "lib/Mode.java",
        "package lib; public enum Mode { B, A; public static Mode of(String s) { return valueOf(s); } }");
    Path from = jar("lib-1.jar", v1);
    Path to = jar("lib-2.jar", v2);
    Path update = work.resolve("u.jsplice");

    CliRun create =
        CliRun.of(
            "create", "--from", from.toString(), "--to", to.toString(), "-o", update.toString());

    assertThat(create.exit()).as(create.toString()).isZero();
    List<String> lines = create.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "cannot be applied live: 15 classes blocked (changed superclass or interfaces x14,"
                + " added enum constants x1)");
    List<String> named = lines.subList(1, lines.indexOf(""));
    assertThat(named).hasSize(13);
    assertThat(named.subList(0, 12)).allMatch(l -> l.startsWith("  lib."));
    assertThat(named.get(0))
        .startsWith("  lib.C0: changed superclass or interfaces: changes its superclass");
    assertThat(named.get(12)).startsWith("  ... and 3 more; --verbose, jsplice inspect");
    assertThat(create.out()).doesNotContain("$$jsplice$");
    assertThat(create.err()).contains("--live-subset builds the largest part that can");

    CliRun inspect = CliRun.of("inspect", update.toString());
    assertThat(inspect.out().lines().findFirst().orElseThrow()).isEqualTo(lines.get(0));
    assertThat(inspect.out()).contains("lib.C13  [modified, not live]");
  }

  @Test
  void create_withLiveSubset_saysWhatItLeftOutAndWhy() throws Exception {
    Path from =
        jar(
            "lib-1.jar",
            Map.of(
                "lib/Mode.java",
                "package lib; public enum Mode { A; public static Mode of(String s) { return valueOf(s); } }",
                "lib/Check.java",
                "package lib; public class Check { public boolean ok(String s) { return true; } }"));
    Path to =
        jar(
            "lib-2.jar",
            Map.of(
                "lib/Mode.java",
                "package lib; public enum Mode { B, A; public static Mode of(String s) { return valueOf(s); } }",
                "lib/Check.java",
                "package lib; public class Check { public boolean ok(String s) {"
                    + " return !s.contains(\"..\"); } }"));
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            from.toString(),
            "--to",
            to.toString(),
            "--live-subset",
            "-o",
            work.resolve("u.jsplice").toString());

    assertThat(create.exit()).as(create.toString()).isZero();
    List<String> lines = create.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("can be applied live");
    assertThat(lines.get(1))
        .isEqualTo("left out (in force after a restart on the fixed release): 1 class");
    assertThat(lines.get(2)).startsWith("  lib.Mode: adds enum constants [B]");
  }
}
