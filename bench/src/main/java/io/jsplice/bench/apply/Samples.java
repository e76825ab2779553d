package io.jsplice.bench.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Measurements of one quantity, summarized by their median (robust on a noisy machine). */
final class Samples {
  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    values.add(value);
  }

  int size() {
    return values.size();
  }

  double median() {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "median (min-max, n=N)" with {@code decimals} places. */
  String describe(int decimals) {
    String f = "%." + decimals + "f";
    return String.format(
        Locale.ROOT, f + " (" + f + "-" + f + ", n=%d)", median(), min(), max(), size());
  }
}
