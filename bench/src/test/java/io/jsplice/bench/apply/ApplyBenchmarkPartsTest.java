package io.jsplice.bench.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The apply benchmark's parts that need no target JVM; the benchmark itself is not run. */
class ApplyBenchmarkPartsTest {

  @Test
  void safepointLog_readsTheOperationAndItsPauseFromJdk17AndJdk25Lines() {
    List<SafepointLog.Safepoint> safepoints =
        SafepointLog.parse(
            List.of(
                "[1.348s][info][safepoint] Safepoint \"RedefineClasses\", Time since last: 1000167992"
                    + " ns, Reaching safepoint: 406035 ns, Cleanup: 83990 ns, At safepoint: 2056779"
                    + " ns, Total: 2546804 ns",
                "[3.068s][info][safepoint] Safepoint \"G1CollectForAllocation\", Time since last:"
                    + " 2824201441 ns, Reaching safepoint: 4769 ns, At safepoint: 25391751 ns,"
                    + " Leaving safepoint: 23155 ns, Total: 25419675 ns, Threads: 0 runnable, 10"
                    + " total",
                "[0.010s][info][gc] Using G1"));

    assertThat(safepoints)
        .containsExactly(
            new SafepointLog.Safepoint("RedefineClasses", 2.056779, 2.546804),
            new SafepointLog.Safepoint("G1CollectForAllocation", 25.391751, 25.419675));
  }

  @Test
  void samples_giveTheMedianOfOddAndEvenCounts() {
    Samples samples = new Samples();
    samples.add(3);
    samples.add(1);
    samples.add(10);
    assertThat(samples.median()).isEqualTo(3);
    samples.add(4);
    assertThat(samples.median()).isEqualTo(3.5);
    assertThat(samples.describe(1)).isEqualTo("3.5 (1.0-10.0, n=4)");
  }
}
