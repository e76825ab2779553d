package io.jsplice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TripwiresTest {
  private static final long SECOND = 1_000_000L * 1000; // far from the other tests' seconds

  @Test
  void hit_recordsAtMostItsRatePerSecond_andCountsTheRest() {
    long before = Tripwires.last();
    long suppressed = Tripwires.suppressed();
    for (int i = 0; i < Tripwires.PER_SECOND + 5; i++) {
      Tripwires.hit(new IllegalStateException("no " + i), "U1", "CVE-1", "a.B.m", SECOND + i);
    }
    List<Tripwires.Hit> hits = Tripwires.since(before);
    assertThat(hits).hasSize(Tripwires.PER_SECOND);
    assertThat(Tripwires.suppressed() - suppressed).isEqualTo(5);
    assertThat(hits.get(0).detail()).isEqualTo("IllegalStateException: no 0");
    assertThat(hits.get(0).updateId()).isEqualTo("U1");
    assertThat(hits.get(0).cve()).isEqualTo("CVE-1");

    Tripwires.hit(new IllegalStateException("next second"), "U1", "CVE-1", "a.B.m", SECOND + 1000);
    assertThat(Tripwires.since(before)).hasSize(Tripwires.PER_SECOND + 1);
  }

  @Test
  void hit_keepsTheNewest_andNeverThrows() {
    long before = Tripwires.last();
    for (int i = 0; i < Tripwires.CAPACITY + 10; i++) {
      Tripwires.hit(null, "U2", null, "a.B.m", 2 * SECOND + i * 1000L);
    }
    List<Tripwires.Hit> hits = Tripwires.since(before);
    assertThat(hits).hasSize(Tripwires.CAPACITY);
    assertThat(hits.get(hits.size() - 1).seq()).isEqualTo(Tripwires.last());

    RuntimeException hostile =
        new RuntimeException() {
          @Override
          public String getMessage() {
            throw new IllegalStateException("a message that throws");
          }
        };
    long last = Tripwires.last();
    Tripwires.hit(hostile, "U3", null, "a.B.m", 3 * SECOND);
    assertThat(Tripwires.since(last))
        .singleElement()
        .satisfies(h -> assertThat(h.updateId()).isEqualTo("U3"));
  }

  @Test
  void theDetail_isCutAndHasNoControlCharacters() {
    assertThat(Tripwires.sanitize("a\u001b[31mb\nc\u202ed", 100)).isEqualTo("a?[31mb?c?d");
    assertThat(Tripwires.sanitize("x".repeat(200), 10)).isEqualTo("xxxxxxxxxx…");
  }
}
