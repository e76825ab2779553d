package io.jsplice.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Wall-clock times of repeated runs of one operation, in milliseconds.
 *
 * @param name what was timed, for the table
 * @param millis one entry per measured run (warm-up runs excluded)
 */
record Timing(String name, double[] millis) {
  /**
   * Runs {@code operation} {@code warmup} times unmeasured, then {@code iterations} times measured,
   * collecting garbage before each run so that one run's garbage is not charged to the next.
   */
  static Timing measure(String name, int warmup, int iterations, Callable<?> operation)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      Blackhole.consume(operation.call());
    }
    double[] millis = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      System.gc();
      long start = System.nanoTime();
      Blackhole.consume(operation.call());
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    return new Timing(name, millis);
  }

  double mean() {
    return Arrays.stream(millis).average().orElse(Double.NaN);
  }

  double min() {
    return Arrays.stream(millis).min().orElse(Double.NaN);
  }

  /** Sample standard deviation; 0 for a single run. */
  double stdev() {
    if (millis.length < 2) {
      return 0;
    }
    double mean = mean();
    double sum = Arrays.stream(millis).map(m -> (m - mean) * (m - mean)).sum();
    return Math.sqrt(sum / (millis.length - 1));
  }

  /** Keeps results reachable so the JIT cannot drop the work that produced them. */
  static final class Blackhole {
    private static volatile int sink;

    private Blackhole() {}

    static void consume(Object result) {
      sink += System.identityHashCode(result);
    }
  }
}
