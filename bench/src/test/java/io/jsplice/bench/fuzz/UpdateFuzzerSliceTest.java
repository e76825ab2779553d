package io.jsplice.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A slice of the update fuzzer, seeded and the same on every run: one mutant of each kind and 150
 * more as the seed picks them, through {@code inspect} and {@code apply} into target JVMs on JDK 17
 * and 25. The full run ({@code -Pbench-fuzz}, 10,000 cases) holds to the same rules.
 */
class UpdateFuzzerSliceTest {
  private static final long SEED = 20261202L;

  @Test
  void everyMutantIsRefusedWithADocumentedCause_andTheTargetsRunTheirOldCode() throws Exception {
    UpdateFuzzer fuzzer =
        new UpdateFuzzer(
            Path.of("target", "fuzz-slice").toAbsolutePath(), SEED, Jdk.underTest(), 100, 70);
    List<Mutant> cases = new ArrayList<>();
    for (MutantKind kind : MutantKind.values()) {
      cases.add(fuzzer.mutant(1_000_000 + kind.ordinal(), kind));
    }
    for (int i = 0; i < 150; i++) {
      cases.add(fuzzer.mutant(i));
    }

    FuzzReport report = fuzzer.run(cases);

    System.out.print(report.table());
    assertThat(report.failures()).as(report.table()).isEmpty();
    assertThat(report.crashes).isZero();
    assertThat(report.cases()).isEqualTo(cases.size());
    assertThat(report.validAppliesAfterwards).isEqualTo(report.targets);
  }
}
