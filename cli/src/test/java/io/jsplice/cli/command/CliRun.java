package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.Jsplice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/**
 * One run of the {@code jsplice} command inside the test JVM, through {@link Jsplice#run}, as a
 * test sees it.
 *
 * @param args what was run, for assertion messages
 * @param exitCode what {@code bin/jsplice} would exit with
 * @param out everything printed on stdout
 * @param err everything printed on stderr
 */
record CliRun(List<String> args, int exitCode, String out, String err) {

  /** Runs {@code jsplice ARGS}; arguments are turned into strings (paths, pids). */
  static CliRun jsplice(Object... args) {
    String[] strings = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Jsplice.run(strings, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(List.of(strings), exitCode, out.toString(), err.toString());
  }

  /** Asserts success and returns this run. */
  CliRun succeeded() {
    assertThat(exitCode).as("exit code of jsplice %s\n%s", args, this).isZero();
    return this;
  }

  /**
   * Asserts that the run failed with {@code exitCode} and reported it as one line on stderr, and
   * returns that line without the {@code "jsplice: "} prefix.
   */
  String failedWith(int expectedExitCode) {
    assertThat(exitCode).as("exit code of jsplice %s\n%s", args, this).isEqualTo(expectedExitCode);
    List<String> lines = err.lines().toList();
    assertThat(lines).as("stderr of jsplice %s", args).hasSize(1);
    assertThat(lines.get(0)).startsWith("jsplice: ");
    assertThat(out).as("stdout of a failed jsplice %s", args).isEmpty();
    return lines.get(0).substring("jsplice: ".length());
  }

  @Override
  public String toString() {
    return "--- jsplice "
        + String.join(" ", args)
        + " exited "
        + exitCode
        + "\n--- stdout:\n"
        + out
        + "--- stderr:\n"
        + err;
  }
}
