package io.jsplice.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the JIT compilers compiled of the agent's own code by a start's first answer: its methods
 * ({@code io.jsplice.}, relocated libraries included) and those of the JDK's agent support ({@code
 * sun.instrument.}, which runs at every class load only because an agent registered a transformer),
 * against every method compiled. Read from {@code -XX:+PrintCompilation} in one start of a
 * configuration made for the purpose, outside the measured rounds (printing costs the JVM, so the
 * rounds never print).
 *
 * <p>Why: the total CPU time's paired differences are dominated by what the compilers do, which
 * varies from start to start; this says how much of that compiling is of the agent's code at all. A
 * count, not a time: HotSpot gives no CPU time per compiled method.
 *
 * @param agent compile tasks of {@code io.jsplice.} methods
 * @param instrument compile tasks of {@code sun.instrument.} methods
 * @param all compile tasks of any method
 */
record AgentCompiles(int agent, int instrument, int all) {
  /** The options that print each compile task, on stderr. */
  static final List<String> JVM_ARGS =
      List.of("-XX:+PrintCompilation", "-XX:+DisplayVMOutputToStderr");

  /** Counts the compile tasks {@code -XX:+PrintCompilation} printed in {@code log}. */
  static AgentCompiles of(Path log) throws IOException {
    return of(Files.readAllLines(log));
  }

  static AgentCompiles of(List<String> lines) {
    int agent = 0;
    int instrument = 0;
    int all = 0;
    for (String line : lines) {
      // A task's line names its method as Class::method; "made not entrant" lines repeat one.
      if (!line.contains("::")
          || line.contains("made not entrant")
          || line.contains("made zombie")) {
        continue;
      }
      all++;
      if (line.contains(" io.jsplice.")) {
        agent++;
      } else if (line.contains(" sun.instrument.")) {
        instrument++;
      }
    }
    return new AgentCompiles(agent, instrument, all);
  }

  /** One row: the configuration, then the three counts. */
  String row(String configuration, int width) {
    return String.format(
        Locale.ROOT,
        "%-" + width + "s | %10d | %14d | %8d%n",
        configuration,
        agent,
        instrument,
        all);
  }

  /** The title and header of {@link #row}s. */
  static String header(int width) {
    return "methods JIT-compiled by the first answer (counted as the JVM stops, just after it; one"
        + " more start of each configuration after the rounds, with -XX:+PrintCompilation)\n"
        + String.format(
            Locale.ROOT,
            "%-" + width + "s | %10s | %14s | %8s%n",
            "configuration",
            "io.jsplice",
            "sun.instrument",
            "all");
  }
}
