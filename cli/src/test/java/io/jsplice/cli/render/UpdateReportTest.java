package io.jsplice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Applicability;
import io.jsplice.model.Update;
import io.jsplice.model.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpdateReportTest {
  @Test
  void textFromAnUpdate_reachesTheTerminalEscaped() {
    Update update =
        new Update(
            "u1",
            "clears the screen\u001b[2J and says what it likes",
            List.of(),
            List.of(),
            Instant.parse("2026-01-01T00:00:00Z"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            new Applicability(Verdict.LIVE, Set.of(), List.of("note\u001b]0;title\u0007")));
    StringWriter out = new StringWriter();

    UpdateReport.FULL.print(update, null, new PrintWriter(out));

    assertThat(out.toString())
        .doesNotContain("\u001b")
        .doesNotContain("\u0007")
        .contains("clears the screen\\u001b[2J")
        .contains("\n");
  }
}
