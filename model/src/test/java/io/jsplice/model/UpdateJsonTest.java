package io.jsplice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpdateJsonTest {
  private static String golden() throws IOException {
    try (InputStream in =
        UpdateJsonTest.class.getResourceAsStream("/io/jsplice/model/golden/update-full.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void decode_refusesAFormatNewerThanThisJsplice() throws IOException {
    JsonObject newer = JsonObject.parse(golden()).with("format", 3L);

    assertThatThrownBy(() -> UpdateJson.decode(newer))
        .isInstanceOf(JsonException.class)
        .hasMessage("update format 3 is newer than this jsplice understands (2)");
  }

  @Test
  void decode_namesTheMissingField() throws IOException {
    String noCreated = golden().replaceFirst("\"created\": \"[^\"]*\",", "");
    String noArtifactId = golden().replaceFirst("\"artifactId\": \"guard\",", "");
    String noVerdict = golden().replaceFirst("\"verdict\": \"LIVE_NEEDS_HOOK\",", "");

    assertThatThrownBy(() -> UpdateJson.decode(JsonObject.parse(noCreated)))
        .isInstanceOf(JsonException.class)
        .hasMessage("$.created is missing");
    assertThatThrownBy(() -> UpdateJson.decode(JsonObject.parse(noArtifactId)))
        .isInstanceOf(JsonException.class)
        .hasMessage("$.artifacts[0].artifactId is missing");
    assertThatThrownBy(() -> UpdateJson.decode(JsonObject.parse(noVerdict)))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("verdict");
  }

  @Test
  void decode_refusesAnInvalidIdAsJson() throws IOException {
    JsonObject badId = JsonObject.parse(golden()).with("id", "../evil");

    assertThatThrownBy(() -> UpdateJson.decode(badId))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("update id \"../evil\" is not valid");
  }

  @Test
  void encode_ofADecodedDescriptor_isTheSameText() throws IOException {
    assertThat(Json.writePretty(UpdateJson.encode(UpdateJson.decode(JsonObject.parse(golden())))))
        .isEqualTo(golden());
  }
}
