package io.jsplice.cli.live;

import io.jsplice.cli.Jsplice;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code jsplice} command in the test JVM.
 *
 * @param exit the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
public record CliRun(String command, int exit, String out, String err) {
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Jsplice.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun("jsplice " + String.join(" ", args), exit, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return command + " -> " + exit + "\n" + out + err;
  }
}
