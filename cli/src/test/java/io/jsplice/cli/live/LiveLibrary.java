package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a live test starts from: a library in two versions (jars), a program built against the
 * first, a key pair, and the signed update {@code create} built from one jar to the other. Each
 * version's classes are compiled for Java 17 by the caller; the program's source is {@code
 * App.java}.
 *
 * @param v1 the vulnerable version's jar, on the program's class path
 * @param app the program's classes
 * @param update the signed update
 * @param cert the certificate to trust it with
 * @param create the {@code create} run, whose report tests read
 */
record LiveLibrary(Path v1, Path app, Path update, Path cert, CliRun create) {
  /**
   * Writes the jars as {@code NAME-1.jar} and {@code NAME-2.jar} in {@code work} and creates the
   * update {@code id}; fails the test if {@code create} does not succeed.
   */
  static LiveLibrary build(
      Path work, String name, String id, Map<String, byte[]> v1, Map<String, byte[]> v2, String app)
      throws IOException {
    return build(
        work,
        name,
        id,
        v1,
        v2,
        from ->
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(from)
                .compile("App.java", app));
  }

  /**
   * The same, with a program whose classes {@code program} compiles against the vulnerable
   * version's jar.
   */
  static LiveLibrary build(
      Path work,
      String name,
      String id,
      Map<String, byte[]> v1,
      Map<String, byte[]> v2,
      Function<Path, Map<String, byte[]>> program)
      throws IOException {
    Path from = Jars.write(work.resolve(name + "-1.jar"), v1);
    Path to = Jars.write(work.resolve(name + "-2.jar"), v2);
    Path app = Jars.writeDirectory(work.resolve("app"), program.apply(from));
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    Path update = work.resolve(id + ".jsplice");
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            from.toString(),
            "--to",
            to.toString(),
            "--id",
            id,
            "--key",
            work.resolve("k.p12").toString(),
            "-o",
            update.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
    return new LiveLibrary(from, app, update, work.resolve("k.pem"), create);
  }

  /** The program on {@code jdk}, on the vulnerable version. */
  ProbedJvm start(Jdk jdk, String... jvmArgs) {
    return new ProbedJvm(
        TargetJvm.on(jdk).jvmArgs(jvmArgs).classpath(app, v1).mainClass("App").start());
  }
}
