package io.jsplice.bench.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fuzz run saw: per kind of mutant, how many, the exit codes of {@code inspect} and {@code
 * apply}, and every case that broke a rule (with its index, so that it can be made again alone).
 *
 * <p>Not thread-safe.
 */
final class FuzzReport {
  /** The exit codes the CLI documents for a refusal. */
  static final java.util.Set<Integer> DOCUMENTED =
      java.util.Set.of(10, 11, 12, 13, 20, 21, 30, 31, 32, 33, 34, 35, 36, 37);

  private final Map<MutantKind, Row> rows = new EnumMap<>(MutantKind.class);
  private final List<String> failures = new ArrayList<>();
  int crashes;

  /** Mutants other than the valid update that {@code apply} accepted (exit 0). */
  int accepted;

  /** Cases after which the target answered other than with its old code, or listed an update. */
  int changed;

  int restarts;
  int intact;
  int validAppliesAfterwards;
  int targets;
  long hugeBombInspectMillis = -1;
  long hugeBombApplyMillis = -1;

  private static final class Row {
    int cases;
    final Map<Integer, Integer> inspect = new TreeMap<>();
    final Map<Integer, Integer> apply = new TreeMap<>();
    long applyMillis;
  }

  void record(MutantKind kind, int inspectCode, int applyCode, long applyMillis) {
    Row row = rows.computeIfAbsent(kind, k -> new Row());
    row.cases++;
    row.inspect.merge(inspectCode, 1, Integer::sum);
    row.apply.merge(applyCode, 1, Integer::sum);
    row.applyMillis += applyMillis;
  }

  void fail(Mutant mutant, String what) {
    failures.add("case " + mutant.index() + " (" + mutant.kind() + "): " + what);
  }

  void fail(String what) {
    failures.add(what);
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  int cases() {
    return rows.values().stream().mapToInt(r -> r.cases).sum();
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%-32s %6s  %-28s %-28s %8s%n",
            "mutant",
            "cases",
            "inspect exit codes",
            "apply exit codes",
            "apply ms"));
    for (Map.Entry<MutantKind, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      out.append(
          String.format(
              Locale.ROOT,
              "%-32s %6d  %-28s %-28s %8.0f%n",
              e.getKey().name().toLowerCase(Locale.ROOT),
              r.cases,
              codes(r.inspect),
              codes(r.apply),
              (double) r.applyMillis / r.cases));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%d cases in %d target JVMs (%d restarted to have lib.Later unloaded again);"
                + " %d target crashes; %d accepted; %d left the target changed; %d failures;"
                + " %d mutants left the signed content intact (applied as the valid update, then"
                + " undone); the valid update applied and was undone afterwards in %d of %d"
                + " targets%n",
            cases(),
            targets,
            restarts,
            crashes,
            accepted,
            changed,
            failures.size(),
            intact,
            validAppliesAfterwards,
            targets));
    if (hugeBombApplyMillis >= 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "the huge bomb was refused by inspect in %d ms and by apply in %d ms%n",
              hugeBombInspectMillis,
              hugeBombApplyMillis));
    }
    out.append(
        String.format(
            Locale.ROOT, "all cases: inspect %s; apply %s%n", codes(all(true)), codes(all(false))));
    failures.forEach(f -> out.append("FAILURE ").append(f).append('\n'));
    return out.toString();
  }

  /** Exit codes of {@code inspect} (or of {@code apply}) over all kinds. */
  private Map<Integer, Integer> all(boolean inspect) {
    Map<Integer, Integer> out = new TreeMap<>();
    rows.values()
        .forEach(
            r -> (inspect ? r.inspect : r.apply).forEach((c, n) -> out.merge(c, n, Integer::sum)));
    return out;
  }

  private static String codes(Map<Integer, Integer> histogram) {
    StringBuilder out = new StringBuilder();
    histogram.forEach(
        (code, n) -> out.append(out.length() == 0 ? "" : " ").append(code).append('x').append(n));
    return out.toString();
  }
}
