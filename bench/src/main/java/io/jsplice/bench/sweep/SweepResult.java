package io.jsplice.bench.sweep;

import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What the sweep found for one pair of releases, and the table of all of them. */
final class SweepResult {
  final String library;
  final String from;
  final String to;
  int classes;
  Verdict verdict;
  String firstLine = "";
  Map<String, Integer> causes = Map.of();
  int leftOut;
  int verified;
  int unverifiable;

  /**
   * Classes the update's code uses that create was not given, so could not check ("not checked").
   */
  int unchecked;

  Map<String, String> verifyFailures = Map.of();
  int applyExit = -1;
  int undoExit = -1;
  String applyLine = "";
  boolean crashed;
  String refusal;
  double createSeconds;
  double applySeconds;

  SweepResult(String library, String from, String to) {
    this.library = library;
    this.from = from;
    this.to = to;
  }

  /** Applied (whole or a live subset) and undone, with every class verified or unverifiable. */
  boolean applied() {
    return applyExit == 0 && undoExit == 0 && verifyFailures.isEmpty() && !crashed;
  }

  /** The two releases have the same code: there is nothing to update (not a refusal). */
  boolean unchanged() {
    return refusal != null && refusal.contains("no difference in code");
  }

  /** A defect of jsplice: a class the JVM refused, a crash, or an apply that failed otherwise. */
  boolean defect() {
    return !verifyFailures.isEmpty()
        || crashed
        || (applyExit != -1 && applyExit != 0)
        || (applyExit == 0 && undoExit != 0)
        || (refusal != null && refusal.startsWith("sweep error"));
  }

  /** Which step refused a pair that is neither applied, a defect, nor unchanged. */
  String refusalStage() {
    if (refusal == null) {
      return "not applied";
    }
    if (refusal.startsWith("create --live-subset:")) {
      return "create --live-subset refused";
    }
    if (refusal.startsWith("create:")) {
      return "create refused";
    }
    return refusal;
  }

  String outcome() {
    if (!verifyFailures.isEmpty()) {
      return "VERIFY FAILED: " + verifyFailures.entrySet().iterator().next();
    }
    if (crashed) {
      return "TARGET CRASHED";
    }
    if (unchanged()) {
      return "same code: nothing to update";
    }
    if (refusal != null) {
      return "refused: " + refusal;
    }
    if (applyExit != 0) {
      return "APPLY FAILED (" + applyExit + "): " + applyLine;
    }
    if (undoExit != 0) {
      return "UNDO FAILED: " + applyLine;
    }
    return leftOut > 0 ? "applied live subset (" + leftOut + " classes left out)" : "applied";
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %s -> %s | %d | %s | %s | %d/%d/%d | %d | %s | %.1f | %.1f |",
        library,
        from,
        to,
        classes,
        verdict == null ? "-" : verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '),
        causes.isEmpty() ? "" : causes.toString().replaceAll("[{}]", ""),
        verified,
        unverifiable,
        verifyFailures.size(),
        unchecked,
        outcome().lines().findFirst().orElse("").replace('|', '/'),
        createSeconds,
        applySeconds);
  }

  static String table(List<SweepResult> results, Jdk jdk) {
    StringBuilder out = new StringBuilder();
    long applied = results.stream().filter(SweepResult::applied).count();
    long whole = results.stream().filter(r -> r.applied() && r.leftOut == 0).count();
    long defects = results.stream().filter(SweepResult::defect).count();
    long unchanged = results.stream().filter(SweepResult::unchanged).count();
    Map<String, Integer> causes = new TreeMap<>();
    results.forEach(r -> r.causes.forEach((k, v) -> causes.merge(k, 1, Integer::sum)));
    double create = results.stream().mapToDouble(r -> r.createSeconds).sum();
    double apply = results.stream().mapToDouble(r -> r.applySeconds).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "%d pairs of %d libraries, target JVM %s: %d applied and undone (%d whole, %d as a live"
                + " subset), %d refused, %d with the same code in both releases, %d defects;"
                + " create %.1f s per pair on average, apply %.1f s.%n%n",
            results.size(),
            results.stream().map(r -> r.library).distinct().count(),
            jdk,
            applied,
            whole,
            applied - whole,
            results.size() - applied - defects - unchanged,
            unchanged,
            defects,
            create / Math.max(1, results.size()),
            apply / Math.max(1, applied)));
    out.append(
        "Pairs whose whole release diff cannot apply live, by blocking cause (a pair counts once per cause):\n\n");
    causes.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
    Map<String, Integer> refusals = new TreeMap<>();
    results.stream()
        .filter(r -> !r.applied() && !r.defect() && !r.unchanged())
        .forEach(r -> refusals.merge(r.refusalStage(), 1, Integer::sum));
    if (!refusals.isEmpty()) {
      out.append("\nPairs refused, by the step that refused them (each row has the reason):\n\n");
      refusals.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    List<SweepResult> defective = results.stream().filter(SweepResult::defect).toList();
    if (!defective.isEmpty()) {
      out.append("\nDefects:\n\n");
      defective.forEach(
          r ->
              out.append("- ")
                  .append(r.library)
                  .append(' ')
                  .append(r.from)
                  .append(" -> ")
                  .append(r.to)
                  .append(": ")
                  .append(r.outcome().lines().findFirst().orElse(""))
                  .append('\n'));
    }
    out.append(
        "\n| library | pair | classes | whole release | blocking causes (classes) | verified/unverifiable/failed | unchecked | outcome | create (s) | apply (s) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    results.forEach(r -> out.append(r.row()).append('\n'));
    return out.toString();
  }
}
