package io.jsplice.bench.startup;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * The program {@link PremainCpuBenchmark} starts: its {@code main} reads its own thread's CPU time
 * from {@code /proc/thread-self/schedstat} as its first statement (that is the JVM's start plus
 * every agent's {@code premain}, which run on this thread before {@code main}), then loads the
 * classes named in its arguments with {@code Class.forName(name, false, ...)} (the classes the
 * recorded updates patch: each load runs the agent's transformers) and reads it again, then sums
 * the CPU time of every live thread of the process, and reads the process's own total from {@code
 * /proc/self/stat}, which counts the threads that ended too (the agent's short-lived ones) but only
 * in clock ticks. Prints {@code before-main NS}, {@code after-loads NS}, {@code all-threads NS} and
 * {@code process NS}, in nanoseconds. Uses nothing before its first reading that the JVM had not
 * loaded already.
 */
public final class MainThreadProbe {
  /** Linux's {@code USER_HZ}, the unit of {@code /proc}'s times: 100 on every architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private MainThreadProbe() {}

  public static void main(String[] args) throws Exception {
    long beforeMain = firstNumber("/proc/thread-self/schedstat");
    ClassLoader loader = MainThreadProbe.class.getClassLoader();
    for (String name : args) {
      Class.forName(name, false, loader);
    }
    long afterLoads = firstNumber("/proc/thread-self/schedstat");
    long allThreads = 0;
    File[] tasks = new File("/proc/self/task").listFiles();
    for (File task : tasks == null ? new File[0] : tasks) {
      try {
        allThreads += firstNumber(task.getPath() + "/schedstat");
      } catch (IOException threadEnded) {
        // It ended after the listing: the process's total below still counts it.
      }
    }
    long process = processTicks(read("/proc/self/stat")) * NANOS_PER_TICK;
    System.out.println("before-main " + beforeMain);
    System.out.println("after-loads " + afterLoads);
    System.out.println("all-threads " + allThreads);
    System.out.println("process " + process);
  }

  /** The first number of a {@code schedstat} file: time spent on a CPU, in nanoseconds. */
  static long firstNumber(String file) throws IOException {
    String text = read(file);
    long value = 0;
    for (int i = 0; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  /**
   * User plus system time, in clock ticks, of a {@code /proc/PID/stat} line: its 14th and 15th
   * fields, counted after the command's closing parenthesis (the command may hold spaces).
   */
  static long processTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is the 3rd field (the state): utime is the 14th, stime the 15th.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String read(String file) throws IOException {
    try (FileInputStream in = new FileInputStream(file)) {
      byte[] bytes = new byte[1024];
      int length = 0;
      for (int n;
          length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) > 0; ) {
        length += n;
      }
      return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }
}
