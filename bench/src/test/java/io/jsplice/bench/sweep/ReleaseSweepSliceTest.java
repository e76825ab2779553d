package io.jsplice.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A slice of the release sweep: real consecutive releases, built, verified by this JVM, applied to
 * and undone in a JVM that loaded the old release. Each must end applied or refused with a reason,
 * never with a class the JVM refuses or a failed switch.
 */
class ReleaseSweepSliceTest {
  private static ReleaseSweep sweep;

  @BeforeAll
  static void setUp() throws Exception {
    sweep = new ReleaseSweep(Path.of("target", "sweep-slice").toAbsolutePath(), Jdk.current());
  }

  static List<String[]> pairs() {
    return List.of(
        new String[] {"com.google.code.gson:gson", "2.12.0", "2.12.1"},
        new String[] {"org.apache.commons:commons-text", "1.12.0", "1.13.0"},
        new String[] {"org.yaml:snakeyaml", "2.3", "2.4"},
        // Private helpers of PKIXNameConstraintValidator turn static with the same descriptors:
        // the old instance ones stay in the loaded class and their old code must still call them
        // (a VerifyError in the first sweeps).
        new String[] {"org.bouncycastle:bcprov-jdk18on", "1.80", "1.80.2"});
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("pairs")
  void pair_appliesOrIsRefusedWithAReason_andEveryClassVerifies(String ga, String from, String to) {
    String[] parts = ga.split(":");
    SweepResult r =
        sweep.run(new SweepLibraries.Library(parts[0], parts[1], List.of(from, to)), from, to);
    assertThat(r.verifyFailures).as(r.row()).isEmpty();
    assertThat(r.defect()).as(r.row()).isFalse();
    assertThat(r.applied() || r.refusal != null).as(r.row()).isTrue();
  }
}
