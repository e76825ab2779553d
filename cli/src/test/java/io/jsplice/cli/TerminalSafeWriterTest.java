package io.jsplice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSafeWriterTest {
  @Test
  void sanitize_escapesControlsEscapeSequencesAndDirectionOverrides() {
    assertThat(TerminalSafeWriter.sanitize("id\u001b[2J\u009b31m\r\u202eevil\u0007"))
        .isEqualTo("id\\u001b[2J\\u009b31m\\u000d\\u202eevil\\u0007");
  }

  @Test
  void sanitize_keepsPrintableTextNewlinesAndTabs() {
    String text = "applied CVE-2022-42889 to JVM 42\n  commons-text 1.9, effectively 1.10.0\tü €";

    assertThat(TerminalSafeWriter.sanitize(text)).isEqualTo(text);
  }

  @Test
  void writer_keepsJsonValidWhenAStringHoldsAC1Control() {
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(new TerminalSafeWriter(out));
    writer.print(Json.write(Map.of("id", "x\u009by")));
    writer.flush();

    assertThat(out.toString()).isEqualTo("{\"id\":\"x\\u009by\"}");
    assertThat(Json.parseObject(out.toString()).asMap()).containsEntry("id", "x\u009by");
  }
}
