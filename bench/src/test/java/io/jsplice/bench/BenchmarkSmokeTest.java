package io.jsplice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's parts work, on this module's own classes; the benchmark itself is not run. */
class BenchmarkSmokeTest {
  private static final Path OWN_CLASSES = Path.of("target/classes");

  @Test
  void operations_readParseAndDiffAClassDirectoryAgainstItself() throws Exception {
    DiffOperations operations = new DiffOperations(OWN_CLASSES, OWN_CLASSES);

    assertThat(operations.read()[0].classes()).containsKey("io/jsplice/bench/DiffOperations");
    assertThat(operations.readAndParse()).isPositive();
    assertThat(operations.readAndDiff().classes()).isEmpty();
  }

  @Test
  void table_showsEachTimingsRatioToTheBaseline() throws Exception {
    Timing baseline = new Timing("baseline", new double[] {10, 10});
    Timing slower = new Timing("slower", new double[] {25, 35});

    String table = ResultTable.format(List.of(baseline, slower), baseline);

    assertThat(table).contains("ms/op").contains("1.00x").contains("3.00x");
    assertThat(Timing.measure("noop", 1, 3, () -> 1).millis()).hasSize(3);
  }
}
