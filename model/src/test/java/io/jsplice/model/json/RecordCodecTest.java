package io.jsplice.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  enum Colour {
    RED,
    GREEN
  }

  record Leaf(String className, int count) {
    static {
      RecordCodec.declareName(Leaf.class, "className", "class");
    }
  }

  record Everything(
      String text,
      boolean flag,
      Boolean maybe,
      int small,
      long big,
      Integer boxed,
      double ratio,
      Colour colour,
      Leaf leaf,
      List<Leaf> leaves,
      List<String> words,
      Map<String, Long> counts,
      Map<String, List<Colour>> nested) {}

  record Later(String id, List<String> tags, Leaf leaf, boolean partial, Map<String, Long> counts) {
    static {
      RecordCodec.declareOmitEmpty(Later.class, "tags", "leaf", "partial", "counts");
    }
  }

  record Timed(Instant at, Set<Colour> colours) {}

  private static final Everything SAMPLE =
      new Everything(
          "a \"quoted\"\nline \u001b[31m",
          true,
          null,
          -7,
          Long.MAX_VALUE,
          42,
          0.25,
          Colour.GREEN,
          new Leaf("p.A", 1),
          List.of(new Leaf("p.B", 2), new Leaf("p.C$1", 3)),
          List.of("x", "y"),
          Map.of("k", 9L),
          Map.of("n", List.of(Colour.RED, Colour.GREEN)));

  @Test
  void roundTrip_throughJsonTextGivesAnEqualRecord() {
    String text = Json.write(RecordCodec.toJson(SAMPLE));

    Everything back = RecordCodec.fromJson(Json.parseObject(text), Everything.class, "$");

    assertThat(back).isEqualTo(SAMPLE);
  }

  @Test
  void toJson_writesComponentsInOrderWithTheirJsonNamesAndNulls() {
    JsonObject json = RecordCodec.toJson(SAMPLE);

    assertThat(json.keys())
        .containsExactly(
            "text", "flag", "maybe", "small", "big", "boxed", "ratio", "colour", "leaf", "leaves",
            "words", "counts", "nested");
    assertThat(json.asMap()).containsEntry("maybe", null).containsEntry("colour", "GREEN");
    assertThat(json.object("leaf").keys()).isEqualTo(List.of("class", "count"));
  }

  @Test
  void fromJson_readsAbsentReferencesAsNullAndAbsentCollectionsAsEmpty() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("flag", false);
    json.put("small", 1L);
    json.put("big", 2L);
    json.put("ratio", 3L);
    json.put("newerField", "ignored");

    Everything read = RecordCodec.fromJson(JsonObject.of(json), Everything.class, "$");

    assertThat(read.text()).isNull();
    assertThat(read.leaf()).isNull();
    assertThat(read.leaves()).isEmpty();
    assertThat(read.counts()).isEmpty();
    assertThat(read.ratio()).isEqualTo(3.0);
  }

  @Test
  void fromJson_namesThePathOfAMissingPrimitive() {
    assertThatThrownBy(
            () ->
                RecordCodec.fromJson(JsonObject.of(Map.of("className", "x")), Leaf.class, "$.leaf"))
        .isInstanceOf(JsonException.class)
        .hasMessage("$.leaf.count is missing");
  }

  @Test
  void fromJson_namesThePathOfAMistypedValue() {
    String text =
        Json.write(RecordCodec.toJson(SAMPLE))
            .replace("\"p.C$1\",\"count\":3", "\"p.C$1\",\"count\":\"3\"");

    assertThatThrownBy(() -> RecordCodec.fromJson(Json.parseObject(text), Everything.class, "$"))
        .isInstanceOf(JsonException.class)
        .hasMessage("$.leaves[1].count must be an integer, not \"3\"");
  }

  @Test
  void fromJson_refusesAnEnumConstantThisSideDoesNotKnow() {
    JsonObject json = RecordCodec.toJson(SAMPLE).with("colour", "BLUE");

    assertThatThrownBy(() -> RecordCodec.fromJson(json, Everything.class, "$"))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("$.colour is 'BLUE', not one of [RED, GREEN]");
  }

  @Test
  void fromJson_refusesAnIntOutOfRangeAndANullListElement() {
    assertThatThrownBy(
            () ->
                RecordCodec.fromJson(
                    JsonObject.of(Map.of("className", "x", "count", 1L << 40)), Leaf.class, "$"))
        .hasMessageContaining("$.count is out of range");
    List<Object> words = new java.util.ArrayList<>();
    words.add("a");
    words.add(null);
    JsonObject json = RecordCodec.toJson(SAMPLE).with("words", words);
    assertThatThrownBy(() -> RecordCodec.fromJson(json, Everything.class, "$"))
        .hasMessage("$.words[1] is null");
  }

  @Test
  void fromJson_givesUnmodifiableCollections() {
    Everything read =
        RecordCodec.fromJson(
            Json.parseObject(Json.write(RecordCodec.toJson(SAMPLE))), Everything.class, "$");

    assertThatThrownBy(() -> read.words().add("z"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void write_refusesAValueWithoutAJsonForm() {
    record Odd(Object anything) {}

    assertThatThrownBy(() -> RecordCodec.toJson(new Odd(new StringBuilder())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("StringBuilder has no JSON form");
  }

  @Test
  void toJson_leavesOutEmptyComponentsMarkedOmitEmpty() {
    Later empty = new Later("a", List.of(), null, false, Map.of());
    Later full = new Later("a", List.of("t"), new Leaf("p.A", 1), true, Map.of("k", 2L));

    assertThat(RecordCodec.toJson(empty).keys()).containsExactly("id");
    assertThat(RecordCodec.toJson(full).keys())
        .containsExactly("id", "tags", "leaf", "partial", "counts");
    assertThat(RecordCodec.toJson(full).bool("partial", false)).isTrue();
  }

  @Test
  void fromJson_readsAbsentOmitEmptyComponentsAsEmpty() {
    Later read = RecordCodec.fromJson(JsonObject.parse("{\"id\":\"a\"}"), Later.class, "$");

    assertThat(read).isEqualTo(new Later("a", List.of(), null, false, Map.of()));
  }

  @Test
  void roundTrip_ofInstantsAndSets_writesTheInstantIso8601AndTheSetInItsOrder() {
    Timed timed =
        new Timed(
            Instant.parse("2026-02-01T08:30:15.250Z"),
            new LinkedHashSet<>(List.of(Colour.GREEN, Colour.RED)));

    String text = Json.write(RecordCodec.toJson(timed));

    assertThat(text)
        .isEqualTo("{\"at\":\"2026-02-01T08:30:15.250Z\",\"colours\":[\"GREEN\",\"RED\"]}");
    Timed back = RecordCodec.fromJson(JsonObject.parse(text), Timed.class, "$");
    assertThat(back).isEqualTo(timed);
    assertThat(back.colours()).containsExactly(Colour.GREEN, Colour.RED);
    assertThatThrownBy(() -> back.colours().add(Colour.RED))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fromJson_namesThePathOfATextThatIsNoInstant() {
    assertThatThrownBy(
            () ->
                RecordCodec.fromJson(JsonObject.parse("{\"at\":\"yesterday\"}"), Timed.class, "$"))
        .isInstanceOf(JsonException.class)
        .hasMessage("$.at is not an ISO-8601 instant: \"yesterday\"");
  }
}
