package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.StructuralKinds;
import io.jsplice.testkit.StructuralKinds.Kind;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each structural change a stock JVM refuses to redefine ({@link StructuralKinds}), applied to a
 * running JVM that loaded the old library and holds objects it built with it: the fixed behaviour
 * after {@code apply} (including for those objects), the old one after {@code undo}, the fixed one
 * after a second apply. Target JVMs on JDK 17 and 25.
 */
class StructuralKindsLiveTest {
  @TempDir static Path work;
  private static Path key;
  private static Path cert;

  @BeforeAll
  static void keys() {
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    key = work.resolve("k.p12");
    cert = work.resolve("k.pem");
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Kind kind : StructuralKinds.ALL) {
      for (Jdk jdk : Jdk.underTest()) {
        out.add(Arguments.of(kind, jdk));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void apply_putsTheFixInForce_undoTakesItOut_andItAppliesAgain(Kind kind, Jdk jdk)
      throws IOException {
    Path dir = Files.createDirectories(work.resolve(kind.id() + "-" + jdk.feature()));
    StructuralKinds.Built built = kind.build(dir);
    Path v1 = built.v1();
    Path v2 = built.v2();
    Path app = built.app();
    String id = "kind-" + kind.id();
    Path update = dir.resolve(id + ".jsplice");
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            v1.toString(),
            "--to",
            v2.toString(),
            "--id",
            id,
            "--key",
            key.toString(),
            "-o",
            update.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out()).as(create.toString()).startsWith("can be applied live");
    try (ProbedJvm jvm =
        new ProbedJvm(TargetJvm.on(jdk).classpath(app, v1).mainClass("App").start())) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo(kind.before());
      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(kind.after());
      CliRun undo = CliRun.of("undo", pid, id);
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(kind.before());
      CliRun again = CliRun.of("apply", pid, update.toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(kind.after());
    }
  }
}
