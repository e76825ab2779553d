package io.jsplice.bench.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JVM's CPU time so far, split by who spent it: its JIT compiler threads, its garbage collector's
 * threads, and the rest (the application's threads, the agent's, the JVM's other threads, and every
 * thread that ended). The compilers' share varies most from one start of the same JVM to the next
 * (what they compile, and when, depends on timing), so "the rest" shows a difference between two
 * configurations with less noise than the total; the total stays the figure a target is set on.
 *
 * <p>Read from {@code /proc/PID/task/TID/comm} (the thread's name, cut to 15 characters) and {@code
 * schedstat} (its time on a CPU, in nanoseconds) for the live threads, and {@code /proc/PID/stat}
 * for the process's total (ended threads included, in 10 ms ticks). A compiler or GC thread that
 * ended (HotSpot stops idle compiler threads) is counted in the rest.
 *
 * @param totalMillis the process's total
 * @param compilerMillis the live JIT compiler threads' ({@code C1 CompilerThre...}, {@code C2
 *     CompilerThre...})
 * @param gcMillis the live GC threads' ({@code GC Thread#N}, {@code G1 ...})
 */
record ThreadCpu(double totalMillis, double compilerMillis, double gcMillis) {
  private static final double MILLIS_PER_TICK = 10; // Linux's USER_HZ is 100

  /** All but the compiler and GC threads. */
  double restMillis() {
    return totalMillis - compilerMillis - gcMillis;
  }

  /** The CPU time of process {@code pid} so far; NaN for what cannot be read. */
  static ThreadCpu of(long pid) {
    Path process = Path.of("/proc", Long.toString(pid));
    double total;
    try {
      total = ticks(Files.readString(process.resolve("stat"))) * MILLIS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return new ThreadCpu(Double.NaN, Double.NaN, Double.NaN);
    }
    long compiler = 0;
    long gc = 0;
    List<Path> tasks;
    try (Stream<Path> listing = Files.list(process.resolve("task"))) {
      tasks = listing.toList();
    } catch (IOException | RuntimeException e) {
      return new ThreadCpu(total, Double.NaN, Double.NaN);
    }
    for (Path task : tasks) {
      try {
        String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
        long nanos = firstNumber(Files.readString(task.resolve("schedstat")));
        switch (kind(name)) {
          case COMPILER -> compiler += nanos;
          case GC -> gc += nanos;
          case OTHER -> {}
        }
      } catch (IOException | RuntimeException threadEnded) {
        // Ended after the listing: the process's total counts it, in the rest.
      }
    }
    return new ThreadCpu(total, compiler / 1e6, gc / 1e6);
  }

  enum Kind {
    COMPILER,
    GC,
    OTHER
  }

  /** What a HotSpot thread named {@code name} (as {@code comm} shows it) does. */
  static Kind kind(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return Kind.COMPILER;
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return Kind.GC;
    }
    return Kind.OTHER;
  }

  /** User plus system time, in ticks, of a {@code /proc/PID/stat} line (as MainThreadProbe). */
  static long ticks(String stat) {
    return MainThreadProbe.processTicks(stat);
  }

  private static long firstNumber(String schedstat) {
    int end = schedstat.indexOf(' ');
    return Long.parseLong(end < 0 ? schedstat.trim() : schedstat.substring(0, end));
  }
}
