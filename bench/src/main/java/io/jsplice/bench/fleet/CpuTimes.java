package io.jsplice.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time (user + system) of processes, from {@code /proc/PID/stat}, in seconds. */
final class CpuTimes {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private CpuTimes() {}

  /** The CPU seconds {@code pid} and its threads used so far; 0 if it is gone. */
  static double of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[11] and [12] are utime and stime (fields 14 and 15 of the whole line)
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The sum over {@code pids}. */
  static double of(List<Long> pids) {
    return pids.stream().mapToDouble(CpuTimes::of).sum();
  }

  /** The processes whose command line contains {@code marker}, e.g. a PostgreSQL data dir. */
  static List<Long> processesWith(String marker) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                    || p.parent()
                        .flatMap(pp -> pp.info().commandLine())
                        .map(c -> c.contains(marker))
                        .orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }
}
