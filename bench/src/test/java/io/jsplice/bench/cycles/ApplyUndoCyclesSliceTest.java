package io.jsplice.bench.cycles;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jdk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A slice of the apply/undo cycles under load: after the first cycle, a cycle defines no class in
 * the application's loaders any more (the update's companion, and the copies its code is verified
 * through, are defined once and found again), and no request fails. Counts, not times.
 */
class ApplyUndoCyclesSliceTest {
  @Test
  void cyclesOfOneUpdate_defineNothingNew_andEveryRequestSucceeds() throws Exception {
    ApplyUndoCycles bench = new ApplyUndoCycles(Path.of("target", "cycles-slice").toAbsolutePath());

    ApplyUndoCycles.Result result = bench.run(ApplyUndoCycles.Kind.JSPLICE, Jdk.current(), 30, 10);

    System.out.print(ApplyUndoCycles.table(result));
    assertThat(result.failures()).isEmpty();
    assertThat(result.answers()).containsOnlyKeys("hello x (v1)", "hello x (v2)");
    assertThat(result.stats().get(30).applicationClasses())
        .as("classes defined in the application's packages after 30 cycles, against after 1")
        .isEqualTo(result.stats().get(1).applicationClasses());
  }
}
