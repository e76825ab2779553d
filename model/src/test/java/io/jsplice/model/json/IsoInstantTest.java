package io.jsplice.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
  @Test
  void format_writesWhatInstantToStringWrites_overTheWholeRangeAndEveryFractionLength() {
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);

      assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
      assertThat(IsoInstant.parse(instant.toString())).isEqualTo(instant);
    }
  }

  @Test
  void format_andParse_atTheEdgesOfTheYearsWrittenHere() {
    for (String text :
        new String[] {
          "0000-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "1969-12-31T23:59:59.999999999Z",
          "2000-02-29T12:00:00.100Z",
          "2100-02-28T23:59:59Z",
          "9999-12-31T23:59:59.999Z",
          "+10000-01-01T00:00:00Z",
          "-0001-12-31T23:59:59Z"
        }) {
      Instant instant = Instant.parse(text);

      assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
      assertThat(IsoInstant.parse(text)).isEqualTo(instant);
    }
  }

  @Test
  void parse_readsWhatInstantParseReads_andNothingElse() {
    for (String text :
        new String[] {
          "2026-02-01T08:30:15.2Z",
          "2026-02-01t08:30:15z",
          "2026-01-01T24:00:00Z",
          "yesterday",
          "2026-02-30T00:00:00Z",
          "2025-02-29T00:00:00Z",
          "2024-02-29T00:00:00Z",
          "2026-13-01T00:00:00Z",
          "2026-01-01T25:00:00Z",
          "2026-01-01T00:60:00Z",
          "2026-01-01T00:00:60Z",
          "2026-01-01T00:00:00.Z",
          "2026-01-01T00:00:00.1234567890Z",
          "2026-01-01T00:00:00",
          "2026-01-01T00:00:00+01:00",
          "2026-01-01 00:00:00Z",
          "2026-0a-01T00:00:00Z",
          ""
        }) {
      assertThat(IsoInstant.parse(text)).as(text).isEqualTo(instantParse(text));
    }
  }

  /** What {@link Instant#parse} reads; null where it throws. */
  private static Instant instantParse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
