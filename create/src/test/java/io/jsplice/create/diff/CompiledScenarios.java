package io.jsplice.create.diff;

import io.jsplice.create.source.ClassSet;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scenarios compiled together, on first use per JDK: every pre version in one ordinary javac run
 * and every post version in another (each scenario has its own package, so they do not meet). JDK
 * 25's javac runs as a process, about 1-2 s per start, so this saves a start per test.
 *
 * <p>Thread-safe.
 */
final class CompiledScenarios {
  private final List<Scenario> scenarios;
  private final String[] options;
  private final Map<Jdk, Compiled> compiled = new ConcurrentHashMap<>();

  private record Compiled(Map<String, byte[]> pre, Map<String, byte[]> post) {}

  CompiledScenarios(Scenario... scenarios) {
    this(new String[0], scenarios);
  }

  /** Compiles with extra javac options, e.g. {@code --release 8}. */
  CompiledScenarios(String[] options, Scenario... scenarios) {
    this.scenarios = List.of(scenarios);
    this.options = options.clone();
    Set<String> packages = new HashSet<>();
    for (Scenario scenario : scenarios) {
      if (!packages.add(scenario.pkg())) {
        throw new IllegalArgumentException("two scenarios use package " + scenario.pkg());
      }
    }
  }

  ClassSet pre(Jdk jdk, Scenario scenario) {
    return new ClassSet(scenario.pkg() + " pre", of(scenario, compiled(jdk).pre()), List.of());
  }

  ClassSet post(Jdk jdk, Scenario scenario) {
    return new ClassSet(scenario.pkg() + " post", of(scenario, compiled(jdk).post()), List.of());
  }

  ClassSetDiff diff(Jdk jdk, Scenario scenario) {
    return BytecodeDiff.compare(pre(jdk, scenario), post(jdk, scenario));
  }

  private Map<String, byte[]> of(Scenario scenario, Map<String, byte[]> classes) {
    if (!scenarios.contains(scenario)) {
      throw new IllegalArgumentException(scenario.pkg() + " is not in this batch");
    }
    Map<String, byte[]> mine = new TreeMap<>();
    classes.forEach(
        (name, bytes) -> {
          if (name.startsWith(scenario.pkg() + "/")) {
            mine.put(name, bytes);
          }
        });
    return mine;
  }

  private Compiled compiled(Jdk jdk) {
    return compiled.computeIfAbsent(
        jdk,
        j -> {
          Map<String, String> pre = new LinkedHashMap<>();
          Map<String, String> post = new LinkedHashMap<>();
          scenarios.forEach(s -> pre.putAll(s.pre()));
          scenarios.forEach(s -> post.putAll(s.post()));
          Compiler javac = Compiler.with(j).options(options);
          return new Compiled(javac.compile(pre), javac.compile(post));
        });
  }
}
