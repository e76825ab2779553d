package io.jsplice.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parse_readsEveryKindOfValue() {
    Object value =
        Json.parse(
            " {\"s\":\"a\\\"b\\u00e9\\n\",\"i\":-12,\"d\":1.5e3,\"t\":true,\"f\":false,"
                + "\"n\":null,\"l\":[1,[],{}]} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\u00e9\n");
    expected.put("i", -12L);
    expected.put("d", new BigDecimal("1.5e3"));
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("l", List.of(1L, List.of(), Map.of()));
    assertThat(value).isEqualTo(expected);
  }

  @Test
  void write_thenParse_roundTrips() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "tab\t quote\" backslash\\ control\u0001 line\u2028");
    value.put("list", Arrays.asList(1L, null, "x", List.of(true)));
    value.put("big", 12345678901234L);
    assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    assertThat(Json.parse(Json.writePretty(value))).isEqualTo(value);
  }

  @Test
  void parse_rejectsMalformedInputWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset 7");
    assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ','");
    assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).hasMessageContaining("after the JSON");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> Json.parse("01")).isInstanceOf(JsonException.class);
    assertThatThrownBy(() -> Json.parse("")).isInstanceOf(JsonException.class);
  }

  @Test
  void parse_refusesDeepNesting() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
  }

  @Test
  void jsonObject_namesTheFieldThatIsWrong() {
    JsonObject json = JsonObject.parse("{\"a\":{\"b\":[1]},\"c\":\"x\"}");
    assertThatThrownBy(() -> json.object("a").strings("b")).hasMessage("$.a.b[0] must be a string");
    assertThatThrownBy(() -> json.string("missing")).hasMessage("$.missing is missing");
    assertThatThrownBy(() -> json.number("c")).hasMessageContaining("$.c must be a long");
  }
}
