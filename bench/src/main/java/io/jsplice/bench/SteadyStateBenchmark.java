package io.jsplice.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steady-state cost of what jsplice installs, next to the same fixed code started cold: a
 * patched method that calls a method the update added (which lives in a companion class), and a
 * patched method that reads and writes an instance field the update added (which lives in shadow
 * storage). Run with {@code ./mvnw -B -ntp verify -pl bench -am -Pjmh -DskipTests}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class SteadyStateBenchmark {
  /** The fix adds a private method that the patched method calls. */
  static final String SCALER_V1 =
      """
      package lib;
      public class Scaler implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x * 3; }
      }
      """;

  static final String SCALER_V2 =
      """
      package lib;
      public class Scaler implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return clamp(x * 3); }
        private static int clamp(int v) { return v > 1_000_000 ? 1_000_000 : v; }
      }
      """;

  /** The fix adds a field, read on every call. */
  static final String LIMITER_V1 =
      """
      package lib;
      public class Limiter implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x; }
      }
      """;

  static final String LIMITER_V2 =
      """
      package lib;
      public class Limiter implements java.util.function.IntUnaryOperator {
        private int limit = 1_000_000;
        public int applyAsInt(int x) { return x < limit ? x : limit; }
      }
      """;

  /** The fix adds a field, read and written on every call. */
  static final String TALLY_V1 =
      """
      package lib;
      public class Tally implements java.util.function.IntUnaryOperator {
        public int applyAsInt(int x) { return x; }
      }
      """;

  static final String TALLY_V2 =
      """
      package lib;
      public class Tally implements java.util.function.IntUnaryOperator {
        private int total;
        public int applyAsInt(int x) { total += x; return total; }
      }
      """;

  @Param({"Scaler", "Limiter", "Tally"})
  String library;

  @Param({"cold", "installed"})
  String code;

  private IntUnaryOperator operator;
  private int input;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String[] versions =
        switch (library) {
          case "Scaler" -> new String[] {SCALER_V1, SCALER_V2};
          case "Limiter" -> new String[] {LIMITER_V1, LIMITER_V2};
          default -> new String[] {TALLY_V1, TALLY_V2};
        };
    InstalledClasses classes = InstalledClasses.build(versions[0], versions[1], "lib." + library);
    ClassLoader loader = code.equals("cold") ? classes.cold() : classes.installed();
    operator =
        (IntUnaryOperator)
            Class.forName("lib." + library, true, loader).getConstructor().newInstance();
    input = 7;
  }

  @Benchmark
  public int call() {
    return operator.applyAsInt(input);
  }
}
