package io.jsplice.cli.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The per-test results of one run of the suite, read from the {@code results.tsv} that {@code
 * SuiteRunner} writes. Tests are keyed by their JUnit Platform unique id, which is the same in
 * every run of the same tests jar.
 */
final class SuiteResults {
  /** What the JVM throws when code calls a class or member that is not there. */
  private static final Set<String> LINKAGE_ERRORS =
      Set.of(
          "java.lang.NoSuchMethodError",
          "java.lang.NoSuchFieldError",
          "java.lang.NoClassDefFoundError",
          "java.lang.IllegalAccessError",
          "java.lang.AbstractMethodError",
          "java.lang.IncompatibleClassChangeError");

  /**
   * One test's result.
   *
   * @param id the unique id, e.g. {@code [engine:junit-jupiter]/[class:a.BTest]/[method:c()]}
   * @param status SUCCESSFUL, FAILED, ABORTED or SKIPPED; CONTAINER_FAILED for a test class that
   *     failed as a whole
   * @param failure the failure's class name, then its causes'; empty if it passed
   * @param message the first message in that chain; empty if none
   * @param linkageMessage the message of the first {@link LinkageError} in it, which names the
   *     missing class or member; empty if none
   */
  record Outcome(
      String id, String status, List<String> failure, String message, String linkageMessage) {
    boolean passed() {
      return status.equals("SUCCESSFUL");
    }

    boolean skipped() {
      return status.equals("SKIPPED");
    }

    boolean failed() {
      return !passed() && !skipped();
    }

    /** The failure is, or was caused by, an error linking against a missing class or member. */
    boolean failedToLink() {
      return failed() && failure.stream().anyMatch(LINKAGE_ERRORS::contains);
    }

    /** The linkage error, or null. */
    String linkageError() {
      return failure.stream().filter(LINKAGE_ERRORS::contains).findFirst().orElse(null);
    }

    /** {@code SimpleTestClass.method()} and the invocation, for people. */
    String name() {
      return SuiteResults.name(id);
    }

    String describeFailure() {
      String type = failure.isEmpty() ? status : failure.get(failure.size() - 1);
      String first = failure.isEmpty() ? "" : failure.get(0);
      String shown = first.equals(type) ? simple(type) : simple(first) + " (" + simple(type) + ")";
      return shown + (message.isEmpty() ? "" : ": " + message);
    }
  }

  private final Map<String, Outcome> tests;
  private final List<Outcome> failedContainers;

  private SuiteResults(Map<String, Outcome> tests, List<Outcome> failedContainers) {
    this.tests = Collections.unmodifiableMap(tests);
    this.failedContainers = List.copyOf(failedContainers);
  }

  static SuiteResults read(Path tsv) throws IOException {
    Map<String, Outcome> tests = new LinkedHashMap<>();
    List<Outcome> containers = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = Arrays.copyOf(line.split("\t", -1), 5);
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i] == null ? "" : f[i];
      }
      List<String> failure = f[2].isEmpty() ? List.of() : List.of(f[2].split(">"));
      Outcome outcome = new Outcome(f[0], f[1], failure, f[3], f[4]);
      if (outcome.status().startsWith("CONTAINER_")) {
        containers.add(outcome);
      } else {
        tests.put(outcome.id(), outcome);
      }
    }
    return new SuiteResults(tests, containers);
  }

  /** Every test that ran or was skipped, by unique id, in the order they finished. */
  Map<String, Outcome> tests() {
    return tests;
  }

  /** May return null: the test was not discovered in this run. */
  Outcome get(String id) {
    return tests.get(id);
  }

  List<Outcome> failedContainers() {
    return failedContainers;
  }

  long count(Predicate<Outcome> which) {
    return tests.values().stream().filter(which).count();
  }

  /** {@code [class:a.b.CTest]/[method:d()]} becomes {@code CTest.d()}; nested classes likewise. */
  static String name(String id) {
    StringBuilder out = new StringBuilder();
    for (String segment : id.split("/")) {
      if (!segment.startsWith("[") || !segment.endsWith("]")) {
        continue;
      }
      String[] kv = segment.substring(1, segment.length() - 1).split(":", 2);
      if (kv.length < 2) {
        continue;
      }
      switch (kv[0]) {
        case "class" -> out.append(simple(kv[1]));
        case "nested-class" -> out.append('$').append(kv[1]);
        case "method", "test-template", "test-factory" -> out.append('.').append(kv[1]);
        case "test-template-invocation", "dynamic-test" -> out.append(kv[1]);
        default -> {}
      }
    }
    return out.length() == 0 ? id : out.toString();
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
