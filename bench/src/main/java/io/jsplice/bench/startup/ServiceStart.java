package io.jsplice.bench.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One start of the service, timed from just before its process is created to the end of the answer
 * to its first request ({@code GET /health}, sent as soon as it prints its port), with the CPU time
 * its process used by then (all threads: JIT compilers and GC included), as {@code /proc} counts
 * it, split by who spent it ({@link ThreadCpu}), and the number of methods its JIT compilers had
 * compiled by then ({@link PerfCounters}).
 *
 * @param firstRequestMillis process start to the first answer received
 * @param cpuMillis the process's CPU time when the answer arrived
 * @param threads the same CPU time, split into the JIT compilers', the GC's and the rest, read just
 *     after it
 * @param compiles the methods compiled by then; -1 if the JVM's counters could not be read
 * @param fixes the fixes the answer says are in force
 */
record ServiceStart(
    double firstRequestMillis,
    double cpuMillis,
    ThreadCpu threads,
    long compiles,
    List<String> fixes) {
  private static final Pattern FIXES = Pattern.compile("\"fixes\"\\s*:\\s*\\[([^\\]]*)\\]");

  /**
   * Starts {@code java jvmArgs -cp classpath mainClass}, waits for {@code port N} on its stdout,
   * asks it for {@code /health}, and stops it.
   *
   * @throws IOException if it does not start, print its port, or answer
   */
  static ServiceStart run(Path java, List<String> jvmArgs, List<Path> classpath, String mainClass)
      throws IOException, InterruptedException {
    return run(java, jvmArgs, classpath, mainClass, ProcessBuilder.Redirect.DISCARD);
  }

  /** As {@link #run(Path, List, List, String)}, the JVM's stderr sent to {@code stderr}. */
  static ServiceStart run(
      Path java,
      List<String> jvmArgs,
      List<Path> classpath,
      String mainClass,
      ProcessBuilder.Redirect stderr)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(String.join(":", classpath.stream().map(Path::toString).toList()));
    command.add(mainClass);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr);
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      int port = port(process, command);
      String body = get(port, "/health");
      double answered = (System.nanoTime() - start) / 1e6;
      double cpu =
          process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1_000_000L) / 1e6;
      ThreadCpu threads = ThreadCpu.of(process.pid());
      long compiles =
          PerfCounters.read(PerfCounters.fileOf(process.pid()))
              .getOrDefault(PerfCounters.COMPILES, -1L);
      return new ServiceStart(answered, cpu, threads, compiles, fixes(body));
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int port(Process process, List<String> command) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("port ")) {
        return Integer.parseInt(line.substring("port ".length()).trim());
      }
    }
    throw new IOException(command + " exited without printing its port");
  }

  /** An HTTP/1.1 GET on a fresh connection; the body of a 200 answer. */
  static String get(int port, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!answer.startsWith("HTTP/1.1 200")) {
        throw new IOException("GET " + path + " answered " + answer.lines().findFirst().orElse(""));
      }
      return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
  }

  static List<String> fixes(String body) {
    Matcher m = FIXES.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("/health answered without fixes: " + body);
    }
    return Arrays.stream(m.group(1).split(","))
        .map(s -> s.trim().replace("\"", ""))
        .filter(s -> !s.isEmpty())
        .sorted()
        .toList();
  }
}
