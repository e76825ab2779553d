package io.jsplice.model.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the service record's JSON form ({@code applied.json}) against one an earlier agent wrote
 * (the resource {@code golden/applied.json}, written by jsplice at ffa1403): a JVM started by an
 * older agent keeps its record, which this CLI and agent must read, and what they write back must
 * be what the older one would have written.
 *
 * <p>To write the resource again (only when the format changes on purpose): run this class with
 * {@code -Djsplice.golden.write=true}.
 */
class ServiceRecordCompatibilityTest {
  private static final String GOLDEN = "/io/jsplice/model/golden/applied.json";

  @TempDir Path state;

  static ServiceRecord record() {
    return new ServiceRecord(
        "billing",
        List.of(
            new RecordedUpdate(
                "CVE-2022-42889",
                RecordedUpdate.fileFor("CVE-2022-42889"),
                "0123456789abcdef".repeat(4),
                Instant.parse("2026-01-31T12:00:00Z"),
                "ops",
                List.of("org.apache.commons.text.StringSubstitutor", "p.Fixed$Inner")),
            new RecordedUpdate(
                "partial-1",
                RecordedUpdate.fileFor("partial-1"),
                "fedcba9876543210".repeat(4),
                Instant.parse("2026-02-01T08:30:15.250Z"),
                null,
                List.of(),
                true)));
  }

  @Test
  void toJson_isTheBytesAnEarlierAgentWrote() throws IOException {
    assertThat(Json.writePretty(record().toJson())).isEqualTo(golden());
  }

  @Test
  void fromJson_readsWhatAnEarlierAgentWrote() throws Exception {
    ServiceRecord read = ServiceRecord.fromJson(JsonObject.parse(golden()));

    assertThat(read).isEqualTo(record());
    assertThat(read.updates().get(0).acceptedPartial()).isFalse();
    assertThat(read.updates().get(1).acceptedPartial()).isTrue();
    assertThat(read.updates().get(1).appliedBy()).isEqualTo("unknown");
  }

  @Test
  void fromJson_ofAnIdListedTwice_keepsItsPlaceAndItsLastEntry() throws Exception {
    String twice =
        golden()
            .replace("\"id\": \"partial-1\"", "\"id\": \"CVE-2022-42889\"")
            .replace("updates/partial-1.jsplice", "updates/again.jsplice");

    ServiceRecord read = ServiceRecord.fromJson(JsonObject.parse(twice));

    assertThat(read.updates()).hasSize(1);
    assertThat(read.updates().get(0).file()).isEqualTo("updates/again.jsplice");
    assertThat(read.updates().get(0).acceptedPartial()).isTrue();
  }

  @Test
  void store_readsTheRecordFileAnEarlierAgentWrote() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    Files.createDirectories(store.recordFile().getParent());
    Files.writeString(store.recordFile(), golden());

    assertThat(store.read()).isEqualTo(record());
  }

  /** Writes the golden resource with this jsplice: only when the format changes on purpose. */
  @Test
  @EnabledIfSystemProperty(named = "jsplice.golden.write", matches = "true")
  void writeGolden() throws IOException {
    Path out = Path.of("src/test/resources" + GOLDEN);
    Files.createDirectories(out.getParent());
    Files.writeString(out, Json.writePretty(record().toJson()));
  }

  private static String golden() throws IOException {
    try (var in = ServiceRecordCompatibilityTest.class.getResourceAsStream(GOLDEN)) {
      assertThat(in).as("resource " + GOLDEN).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
