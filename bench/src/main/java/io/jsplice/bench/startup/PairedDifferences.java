package io.jsplice.bench.startup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One section of a start-up benchmark's table: for one reading (a time, a CPU time), each
 * configuration's median over its rounds, then its paired difference to the run without the agent
 * and to the run without the agent on the fixed classes, each the median over rounds of (this run -
 * that run) in the same round, with a bootstrap 95% interval (rounds resampled with replacement)
 * and as a percentage of a reference (the service's start-up without the agent: the target
 * is at most 2%). Rows compared with another build's agent follow, as the paired difference of this
 * agent's run to the other's.
 *
 * <p>The first configuration is "no agent", the second "no agent, the fixed classes"; a difference
 * of a configuration to itself or to one listed after it is left blank.
 */
final class PairedDifferences {
  private static final int RESAMPLES = 2000;

  private PairedDifferences() {}

  /** A median difference and its bootstrap 95% interval. */
  record Difference(double median, double low, double high) {
    static Difference of(double[] runs, double[] base, Random random) {
      int rounds = Math.min(runs.length, base.length);
      double[] differences = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        differences[i] = runs[i] - base[i];
      }
      double[] interval = bootstrapMedian(differences, random);
      return new Difference(percentile(differences, 50), interval[0], interval[1]);
    }

    String format(double reference) {
      return String.format(
          Locale.ROOT,
          "%+7.1f [%+7.1f, %+7.1f] %+6.2f%%",
          median,
          low,
          high,
          100 * median / reference);
    }
  }

  /**
   * The pairs {@code {this agent's, the compared agent's}} of a table whose configurations end with
   * this agent's {@code perAgent} configurations, then the compared agent's in the same order, as
   * both start-up benchmarks list them; none without a compared agent.
   *
   * @param configurations how many configurations the table has
   * @param perAgent how many configurations each agent has
   */
  static List<int[]> comparedPairs(int configurations, int perAgent, boolean compared) {
    if (!compared) {
      return List.of();
    }
    if (configurations < 2 + 2 * perAgent) {
      throw new IllegalArgumentException(
          configurations + " configurations cannot hold two agents' " + perAgent + " each");
    }
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < perAgent; i++) {
      int other = configurations - perAgent + i;
      pairs.add(new int[] {other - perAgent, other});
    }
    return List.copyOf(pairs);
  }

  /**
   * @param title the reading, e.g. {@code "CPU time by then (ms)"}
   * @param names the configurations' names, "no agent" and "no agent, the fixed classes" first
   * @param runs per configuration, its reading of each round, in round order
   * @param reference what the percentages are of
   * @param compared pairs of indices {@code {this agent's, the compared agent's}} to print as a
   *     difference of their own; may be empty
   */
  static String section(
      String title,
      List<String> names,
      List<double[]> runs,
      double reference,
      List<int[]> compared,
      Random random) {
    int width = 13;
    for (String name : names) {
      width = Math.max(width, name.length());
    }
    String blank = " ".repeat(34);
    StringBuilder out = new StringBuilder(title).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s | %8s | %-34s | %-34s%n",
            "configuration",
            "median",
            "- no agent    [95% interval]      %",
            "- fixed classes [95% interval]    %"));
    for (int i = 0; i < names.size(); i++) {
      String toNone =
          i == 0 ? blank : Difference.of(runs.get(i), runs.get(0), random).format(reference);
      String toFixed =
          i <= 1 ? blank : Difference.of(runs.get(i), runs.get(1), random).format(reference);
      out.append(
          String.format(
              Locale.ROOT,
              "%-" + width + "s | %8.1f | %s | %s%n",
              names.get(i),
              percentile(runs.get(i), 50),
              toNone,
              toFixed));
    }
    for (int[] pair : compared) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %s - %s: %s%n",
              names.get(pair[0]),
              names.get(pair[1]),
              Difference.of(runs.get(pair[0]), runs.get(pair[1]), random).format(reference)));
    }
    return out.toString();
  }

  /**
   * The 2.5th and 97.5th percentiles of the median of {@code values} resampled with replacement.
   */
  static double[] bootstrapMedian(double[] values, Random random) {
    if (values.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double[] medians = new double[RESAMPLES];
    double[] sample = new double[values.length];
    for (int r = 0; r < RESAMPLES; r++) {
      for (int i = 0; i < sample.length; i++) {
        sample[i] = values[random.nextInt(values.length)];
      }
      medians[r] = percentile(sample, 50);
    }
    return new double[] {percentile(medians, 2.5), percentile(medians, 97.5)};
  }

  static double percentile(double[] values, double percent) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
