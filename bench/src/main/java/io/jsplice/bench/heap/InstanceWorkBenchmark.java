package io.jsplice.bench.heap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pause an apply's instance work causes (one JVMTI walk of the heap for the objects of the
 * changed classes) at several sizes of live heap, and that an update without instance work costs
 * nothing (the native library is not even loaded). Each size runs in its own JVM ({@link
 * FilledHeap}); prints a table.
 *
 * <p>Arguments: {@code --agent-classes DIR} (the agent's compiled classes, with the native
 * library), {@code --sizes 1,8} (GB of live data), {@code --reps N}.
 */
public final class InstanceWorkBenchmark {
  public static void main(String[] args) throws Exception {
    String agentClasses = null;
    String sizes = "1,8";
    int reps = 5;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--agent-classes" -> agentClasses = args[i + 1];
        case "--sizes" -> sizes = args[i + 1];
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String classpath = System.getProperty("java.class.path") + ":" + agentClasses;
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            Locale.ROOT,
            "%-8s %-22s %10s %10s %10s %s",
            "live GB",
            "case",
            "median ms",
            "min ms",
            "max ms",
            "native library loaded"));
    for (String size : sizes.split(",")) {
      long gb = Long.parseLong(size.trim());
      List<String> lines = run(classpath, gb, reps);
      List<Double> walks = new ArrayList<>();
      List<Double> scans = new ArrayList<>();
      String before = "?";
      String after = "?";
      for (String line : lines) {
        String[] parts = line.split(" ");
        switch (parts[1]) {
          case "walk" -> walks.add(Double.parseDouble(parts[2]));
          case "scan" -> scans.add(Double.parseDouble(parts[2]));
          case "nativeLoadedBeforeWork" -> before = parts[2].equals("1") ? "yes" : "no";
          case "nativeLoadedAfterWork" -> after = parts[2].equals("1") ? "yes" : "no";
          default -> {}
        }
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "%-8d %-22s %10s %10s %10s %s",
              gb,
              "no instance work",
              "0",
              "0",
              "0",
              before));
      rows.add(row(gb, "no object of the class", scans, after));
      rows.add(row(gb, "10 objects held", walks, after));
    }
    rows.forEach(System.out::println);
  }

  private static String row(long gb, String name, List<Double> millis, String loaded) {
    List<Double> sorted = new ArrayList<>(millis);
    sorted.sort(Double::compare);
    return String.format(
        Locale.ROOT,
        "%-8d %-22s %10.1f %10.1f %10.1f %s",
        gb,
        name,
        sorted.get(sorted.size() / 2),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        loaded);
  }

  private static List<String> run(String classpath, long gb, int reps)
      throws IOException, InterruptedException {
    long heap = gb * 2 + 2; // room for the collector to work without thrashing
    ProcessBuilder pb =
        new ProcessBuilder(
            System.getProperty("java.home") + "/bin/java",
            "-Xms" + heap + "g",
            "-Xmx" + heap + "g",
            "-XX:+UseG1GC",
            "-cp",
            classpath,
            FilledHeap.class.getName(),
            Long.toString(gb),
            Integer.toString(reps));
    pb.redirectErrorStream(true);
    Process process = pb.start();
    List<String> results = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          results.add(line);
        } else {
          System.err.println("[" + gb + " GB] " + line);
        }
      }
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the " + gb + " GB run failed");
    }
    return results;
  }
}
