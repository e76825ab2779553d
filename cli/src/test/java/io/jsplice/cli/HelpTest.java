package io.jsplice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.restart.RestartVerdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code jsplice --help} says, and that one verb's run does not build the others. */
class HelpTest {
  @Test
  void help_listsEveryVerbAndEveryExitCode_fromTheFailureCausesAndVerdicts() {
    String help = run("--help");

    assertThat(help).contains("Exit codes:");
    for (String verb : CommandModel.VERBS) {
      assertThat(help).contains("  " + verb);
    }
    for (FailureCause cause : FailureCause.values()) {
      assertThat(help)
          .as(cause.name())
          .containsPattern(
              "(?m)^  "
                  + cause.exitCode()
                  + " +"
                  + java.util.regex.Pattern.quote(ExitCodes.meaning(cause)));
    }
    for (RestartVerdict verdict : RestartVerdict.values()) {
      assertThat(help).containsPattern("(?m)^  " + verdict.exitCode() + " ");
    }
    assertThat(help).containsPattern("(?m)^  42 +stale: ");
  }

  @Test
  void verbHelp_isWrappedByPicocliOnly_oneParagraphPerDescription() {
    String help = run("apply", "--help");

    // A description written as one paragraph: no line ends where the source's lines ended.
    assertThat(help).contains("Apply an update to a running JVM");
    assertThat(help.lines().filter(l -> l.length() > 80)).isEmpty();
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Jsplice.run(args, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }
}
