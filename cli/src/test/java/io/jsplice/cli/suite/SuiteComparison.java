package io.jsplice.cli.suite;

import io.jsplice.cli.suite.SuiteResults.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fixed release's tests, run three ways: cold on the fixed release (the baseline of what can
 * pass here at all), cold on the vulnerable release, and on the vulnerable release updated live.
 * Sorts every test by how it fares on the vulnerable release, then judges the live run.
 */
final class SuiteComparison {
  /** How a test of the fixed release fares on the vulnerable release, cold. */
  enum Category {
    /** Passes on both releases. */
    PASSES,
    /** Fails on the vulnerable release on what it checks: the fixes, seen by the tests. */
    BEHAVIOUR,
    /** Fails to link on the vulnerable release: it calls a class or member the fix added. */
    LINK,
    /** Never discovered on the vulnerable release: its class does not load (uses added classes). */
    NOT_DISCOVERED,
    /** Fails on the fixed release too, here: no network, no JavaScript engine, another JDK. */
    ENVIRONMENT,
    /** Disabled in the suite itself. */
    SKIPPED
  }

  /** One test in the three runs; {@code vulnerable} and {@code live} may be null (not run). */
  record Row(String id, Category category, Outcome fixed, Outcome vulnerable, Outcome live) {
    String name() {
      return fixed.name();
    }

    boolean passesLive() {
      return live != null && live.passed();
    }
  }

  private final Map<Category, List<Row>> rows = new EnumMap<>(Category.class);
  private final SuiteResults fixed;
  private final SuiteResults vulnerable;
  private final SuiteResults live;
  private final AddedApi addedApi;

  SuiteComparison(
      SuiteResults fixed, SuiteResults vulnerable, SuiteResults live, AddedApi addedApi) {
    this.fixed = fixed;
    this.vulnerable = vulnerable;
    this.live = live;
    this.addedApi = addedApi;
    for (Category c : Category.values()) {
      rows.put(c, new ArrayList<>());
    }
    for (Outcome f : fixed.tests().values()) {
      Outcome v = vulnerable.get(f.id());
      Row row = new Row(f.id(), categorize(f, v), f, v, live.get(f.id()));
      rows.get(row.category()).add(row);
    }
  }

  private static Category categorize(Outcome fixed, Outcome vulnerable) {
    if (fixed.skipped()) {
      return Category.SKIPPED;
    }
    if (!fixed.passed()) {
      return Category.ENVIRONMENT;
    }
    if (vulnerable == null) {
      return Category.NOT_DISCOVERED;
    }
    if (vulnerable.passed()) {
      return Category.PASSES;
    }
    return vulnerable.failedToLink() ? Category.LINK : Category.BEHAVIOUR;
  }

  List<Row> rows(Category category) {
    return rows.get(category);
  }

  /** Behaviour failures of the vulnerable release that the live update did not fix. */
  List<Row> behaviourFailuresLeft() {
    return rows(Category.BEHAVIOUR).stream().filter(r -> !r.passesLive()).toList();
  }

  /** Tests that pass on both releases cold but not after the live update. */
  List<Row> regressions() {
    return rows(Category.PASSES).stream().filter(r -> !r.passesLive()).toList();
  }

  /**
   * Tests of API the fix added that do not pass live; each fails to link on an added class or
   * member ({@link #addedMember}), or is not discovered.
   */
  List<Row> addedApiFailures() {
    List<Row> out = new ArrayList<>(rows(Category.LINK));
    out.addAll(rows(Category.NOT_DISCOVERED));
    return out.stream().filter(r -> !r.passesLive()).toList();
  }

  /** Tests of added API that fail live for another reason than linking: none may. */
  List<Row> addedApiMisbehaving() {
    return addedApiFailures().stream()
        .filter(r -> r.live() != null && addedMember(r) == null)
        .toList();
  }

  /** What a live link failure found missing; "not discovered" if the test did not run. */
  String addedMember(Row row) {
    return row.live() == null ? "not discovered" : addedApi.addedMember(row.live());
  }

  /** The test classes that failed as a whole live but not on the fixed release. */
  List<Outcome> liveContainerFailures() {
    List<String> known = fixed.failedContainers().stream().map(Outcome::id).toList();
    return live.failedContainers().stream().filter(c -> !known.contains(c.id())).toList();
  }

  /** A plain-text account for the build log and the report directory. */
  String summary(String title) {
    StringBuilder out = new StringBuilder(title).append('\n');
    runTable(out);
    out.append('\n');
    categoryTable(out);
    String vulnerableName = CommonsTextSuite.VULNERABLE;
    section(out, "behaviour failures of " + vulnerableName, rows(Category.BEHAVIOUR), this::was);
    section(out, "fail to link on " + vulnerableName, rows(Category.LINK), this::was);
    section(
        out,
        "not discovered on " + vulnerableName,
        rows(Category.NOT_DISCOVERED),
        this::liveResult);
    section(
        out,
        "fail on " + CommonsTextSuite.FIXED + " cold too (environment)",
        rows(Category.ENVIRONMENT),
        r -> r.fixed().describeFailure());
    section(out, "REGRESSIONS: pass on both cold, not live", regressions(), this::liveResult);
    section(
        out,
        "added-API tests failing live, by missing member",
        addedApiFailures(),
        r -> String.valueOf(addedMember(r)));
    return out.toString();
  }

  private void runTable(StringBuilder out) {
    out.append(
        String.format(
            "%-22s %12s %12s %14s%n",
            "",
            "cold " + CommonsTextSuite.FIXED,
            "cold " + CommonsTextSuite.VULNERABLE,
            "live-updated"));
    row(out, "tests run or skipped", o -> true);
    row(out, "passed", Outcome::passed);
    row(out, "failed", Outcome::failed);
    row(out, "skipped", Outcome::skipped);
  }

  private void row(StringBuilder out, String what, Predicate<Outcome> which) {
    out.append(
        String.format(
            "%-22s %12d %12d %14d%n",
            what, fixed.count(which), vulnerable.count(which), live.count(which)));
  }

  private void categoryTable(StringBuilder out) {
    String heading =
        "tests of " + CommonsTextSuite.FIXED + ", on " + CommonsTextSuite.VULNERABLE + " cold";
    out.append(String.format("%-38s %6s %16s%n", heading, "count", "pass live"));
    for (Category c : Category.values()) {
      List<Row> list = rows(c);
      long passLive = list.stream().filter(Row::passesLive).count();
      out.append(String.format("%-38s %6d %16d%n", label(c), list.size(), passLive));
    }
  }

  /** How it failed on the vulnerable release, and how it fares live. */
  private String was(Row r) {
    return r.vulnerable().describeFailure() + "  -> live: " + liveResult(r);
  }

  private String liveResult(Row r) {
    if (r.live() == null) {
      return "not discovered";
    }
    return r.live().passed() ? "passes" : r.live().describeFailure();
  }

  private static String label(Category c) {
    return switch (c) {
      case PASSES -> "pass on both";
      case BEHAVIOUR -> "behaviour failure";
      case LINK -> "fail to link (added API)";
      case NOT_DISCOVERED -> "not discovered (added classes)";
      case ENVIRONMENT -> "fail cold on the fixed release too";
      case SKIPPED -> "disabled";
    };
  }

  private static void section(
      StringBuilder out, String heading, List<Row> rows, Function<Row, String> detail) {
    if (rows.isEmpty()) {
      return;
    }
    out.append('\n').append(heading).append(":\n");
    for (Row r : rows) {
      out.append("  ").append(r.name()).append("  ").append(detail.apply(r)).append('\n');
    }
  }
}
