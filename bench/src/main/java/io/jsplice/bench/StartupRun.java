package io.jsplice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One start of a JVM, timed from just before the process is created: to the line {@code main} (the
 * first thing the program's {@code main} does) and to the line {@code done ...} (the end of its
 * workload), as the harness reads them from the process's stdout.
 *
 * @param firstLineMillis start to {@code main}
 * @param doneMillis start to {@code done}
 * @param doneLine the {@code done} line, with the workload's checksum
 * @param cpuMillis the CPU time of all the JVM's threads by the end of the workload, as it reports
 *     it; -1 if it cannot tell
 */
record StartupRun(double firstLineMillis, double doneMillis, String doneLine, double cpuMillis) {

  /**
   * Starts {@code java} with {@code jvmArgs}, the class path and main class, and waits for it to
   * exit.
   *
   * @throws IOException if it cannot start, exits with a failure, or does not print both lines
   */
  static StartupRun run(Path java, List<String> jvmArgs, List<Path> classpath, String mainClass)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(String.join(":", classpath.stream().map(Path::toString).toList()));
    command.add(mainClass);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process process = builder.start();
    double first = -1;
    double done = -1;
    String doneLine = null;
    double cpu = -1;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        double at = (System.nanoTime() - start) / 1e6;
        if (line.equals("main") && first < 0) {
          first = at;
        } else if (line.startsWith("done ")) {
          done = at;
          doneLine = line;
        } else if (line.startsWith("cpu ")) {
          cpu = Double.parseDouble(line.substring("cpu ".length()));
        }
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command + " did not exit within 60 s");
    }
    if (process.exitValue() != 0 || first < 0 || done < 0) {
      throw new IOException(
          command + " exited with " + process.exitValue() + " without printing main and done");
    }
    return new StartupRun(first, done, doneLine, cpu);
  }
}
