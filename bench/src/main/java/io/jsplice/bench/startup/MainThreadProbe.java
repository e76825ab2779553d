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
 * the CPU time of every thread of the process. Prints {@code before-main NS}, {@code after-loads
 * NS} and {@code all-threads NS}, in nanoseconds. Uses nothing before its first reading that the
 * JVM had not loaded already.
 */
public final class MainThreadProbe {
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
        // It ended after the listing; its time is lost, as for any thread that ended before.
      }
    }
    System.out.println("before-main " + beforeMain);
    System.out.println("after-loads " + afterLoads);
    System.out.println("all-threads " + allThreads);
  }

  /** The first number of a {@code schedstat} file: time spent on a CPU, in nanoseconds. */
  static long firstNumber(String file) throws IOException {
    try (FileInputStream in = new FileInputStream(file)) {
      byte[] bytes = new byte[128];
      int length = in.read(bytes);
      long value = 0;
      for (int i = 0; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
        value = value * 10 + (bytes[i] - '0');
      }
      return value;
    }
  }
}
