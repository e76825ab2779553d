package io.jsplice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time (user + system) of processes, from {@code /proc/PID/stat}, in seconds. */
public final class CpuTimes {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private CpuTimes() {}

  /** The CPU seconds {@code pid} and its threads used so far; 0 if it is gone. */
  public static double of(long pid) {
    // fields[11] and [12] are utime and stime (fields 14 and 15 of the whole line)
    return stat("/proc/" + pid + "/stat", 11);
  }

  /**
   * The CPU seconds of this process's children that have ended and been waited for, with theirs
   * (cutime and cstime): the difference across one {@link Process#waitFor} is what that child used,
   * when no other child ends meanwhile.
   */
  public static double endedChildren() {
    // fields[13] and [14] are cutime and cstime (fields 16 and 17 of the whole line)
    return stat("/proc/self/stat", 13);
  }

  private static double stat(String file, int first) {
    try {
      String stat = Files.readString(Path.of(file));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[first]) + Long.parseLong(fields[first + 1])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The sum over {@code pids}. */
  public static double of(List<Long> pids) {
    return pids.stream().mapToDouble(CpuTimes::of).sum();
  }

  /** The processes whose command line contains {@code marker}, e.g. a PostgreSQL data dir. */
  public static List<Long> processesWith(String marker) {
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
