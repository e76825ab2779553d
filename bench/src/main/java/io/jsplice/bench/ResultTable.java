package io.jsplice.bench;

import java.util.List;
import java.util.Locale;

/** Formats timings as a table, each with its ratio to a baseline timing. */
final class ResultTable {
  private ResultTable() {}

  /**
   * @param baseline the timing the ratio column divides by; must be one of {@code timings}
   */
  static String format(List<Timing> timings, Timing baseline) {
    int width = Math.max(10, timings.stream().mapToInt(t -> t.name().length()).max().orElse(0));
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s %10s %9s %10s %7s %8s%n",
            "operation",
            "ms/op",
            "+-stdev",
            "min ms",
            "runs",
            "ratio"));
    for (Timing timing : timings) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s %10.1f %9.1f %10.1f %7d %7.2fx%n",
              timing.name(),
              timing.mean(),
              timing.stdev(),
              timing.min(),
              timing.millis().length,
              timing.mean() / baseline.mean()));
    }
    return out.toString();
  }
}
