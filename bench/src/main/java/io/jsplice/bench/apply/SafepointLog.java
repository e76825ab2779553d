package io.jsplice.bench.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The safepoints a target JVM writes to its {@code -Xlog:safepoint} file, read as they are
 * appended. A redefinition or retransformation shows as one safepoint of the VM operation {@code
 * RedefineClasses}; its {@code Total} (reaching the safepoint plus the operation plus leaving it)
 * is the application's pause.
 *
 * <p>Not thread-safe: one reader per file.
 */
final class SafepointLog {
  static final String REDEFINE = "RedefineClasses";
  private static final Pattern LINE =
      Pattern.compile("Safepoint \"(\\w+)\", .*?At safepoint: (\\d+) ns.*?Total: (\\d+) ns");

  private final Path file;
  private int seen;

  SafepointLog(Path file) {
    this.file = file;
  }

  /** The JVM option that writes the log this reads, whole (no rotation). */
  String jvmOption() {
    return "-Xlog:safepoint=info:file=" + file + "::filecount=0";
  }

  /**
   * One safepoint.
   *
   * @param operation the VM operation, e.g. {@code RedefineClasses}
   * @param atSafepointMillis the operation's own time
   * @param totalMillis what the application was stopped for
   */
  record Safepoint(String operation, double atSafepointMillis, double totalMillis) {}

  static List<Safepoint> parse(List<String> lines) {
    List<Safepoint> out = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        out.add(
            new Safepoint(
                m.group(1), Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)) / 1e6));
      }
    }
    return out;
  }

  /**
   * Waits until at least one {@code RedefineClasses} safepoint was logged since the last call and
   * returns those.
   */
  List<Safepoint> awaitRedefinitions(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Safepoint> redefinitions =
          parse(Files.exists(file) ? Files.readAllLines(file) : List.of()).stream()
              .filter(s -> s.operation().equals(REDEFINE))
              .toList();
      if (redefinitions.size() > seen) {
        List<Safepoint> fresh = redefinitions.subList(seen, redefinitions.size());
        seen = redefinitions.size();
        return List.copyOf(fresh);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("no " + REDEFINE + " safepoint in " + file + " within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
