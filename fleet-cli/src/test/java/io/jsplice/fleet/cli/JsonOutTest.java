package io.jsplice.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.UpdateTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet verbs' {@code --json}: {@code "ok": true}, then the record's fields in its form. */
class JsonOutTest {
  record Sample(String id, Instant at, List<UpdateTarget> targets, String none) {}

  @Test
  void print_putsOkFirstThenTheRecordsFieldsInOrder() {
    StringWriter text = new StringWriter();

    JsonOut.print(
        new PrintWriter(text),
        new Sample(
            "u1",
            Instant.parse("2026-12-04T10:00:00Z"),
            List.of(new UpdateTarget("g", "a", "1", "2")),
            null));

    assertThat(text.toString().replaceAll("\\s+", ""))
        .isEqualTo(
            "{\"ok\":true,\"id\":\"u1\",\"at\":\"2026-12-04T10:00:00Z\",\"targets\":[{\"groupId\":"
                + "\"g\",\"artifactId\":\"a\",\"fromVersion\":\"1\",\"toVersion\":\"2\"}],"
                + "\"none\":null}");
  }
}
