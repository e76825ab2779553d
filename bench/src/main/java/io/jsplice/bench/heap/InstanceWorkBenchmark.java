package io.jsplice.bench.heap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pause an apply's heap look causes (JVMTI walks of the heap for the objects of the changed
 * classes, one per class) at several sizes of live heap, and that an update without instance work
 * costs nothing (the native library is not even loaded). Each size runs in its own JVM ({@link
 * FilledHeap}), whose safepoint log gives the pauses; prints a table with the ratios of the cases
 * measured side by side in that JVM.
 *
 * <p>Arguments: {@code --agent-classes DIR} (the agent's compiled classes, with the native
 * library), {@code --sizes 1,8} (GB of live data), {@code --reps N}, {@code --work DIR}.
 */
public final class InstanceWorkBenchmark {
  private static final Map<String, String> CASES = new LinkedHashMap<>();

  static {
    CASES.put("scanNone", "scan, no object of the class");
    CASES.put("scanHeld", "scan, 10 objects held");
    CASES.put("reachHeld", "from the roots, 10 held");
    CASES.put("fullGc", "for scale: full GC");
  }

  public static void main(String[] args) throws Exception {
    String agentClasses = null;
    String sizes = "1,8";
    int reps = 5;
    Path work = Path.of("target");
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--agent-classes" -> agentClasses = args[i + 1];
        case "--sizes" -> sizes = args[i + 1];
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--work" -> work = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String classpath = System.getProperty("java.class.path") + ":" + agentClasses;
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            Locale.ROOT,
            "%-7s %-30s %9s %9s %9s %9s %9s",
            "live GB",
            "case",
            "pause ms",
            "min",
            "max",
            "wall ms",
            "x scan"));
    Map<String, Double> firstSize = new LinkedHashMap<>();
    List<String> growth = new ArrayList<>();
    for (String size : sizes.split(",")) {
      long gb = Long.parseLong(size.trim());
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      String loadedWithout = "?";
      for (String line : run(classpath, gb, reps, work)) {
        String[] parts = line.split(" ");
        switch (parts[1]) {
          case "loadedWithoutWork" ->
              loadedWithout = parts[2].equals("1") ? "loaded" : "not loaded";
          case "done", "loadedWithWork" -> {}
          default ->
              results
                  .computeIfAbsent(parts[1], k -> new ArrayList<>())
                  .add(new double[] {Double.parseDouble(parts[2]), Double.parseDouble(parts[3])});
        }
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "%-7d %-30s %9s %9s %9s %9s %9s",
              gb,
              "no instance work",
              "0 walks",
              "",
              "",
              "",
              "library " + loadedWithout));
      double scan = median(results.get("scanNone"), 0);
      for (Map.Entry<String, String> c : CASES.entrySet()) {
        List<double[]> runs = results.get(c.getKey());
        if (runs == null) {
          continue;
        }
        double pause = median(runs, 0);
        rows.add(
            String.format(
                Locale.ROOT,
                "%-7d %-30s %9.1f %9.1f %9.1f %9.1f %9.2f",
                gb,
                c.getValue(),
                pause,
                runs.stream().mapToDouble(r -> r[0]).min().orElse(0),
                runs.stream().mapToDouble(r -> r[0]).max().orElse(0),
                median(runs, 1),
                pause / scan));
        Double first = firstSize.putIfAbsent(c.getKey(), pause);
        if (first != null) {
          growth.add(
              String.format(
                  Locale.ROOT, "  %-30s x %.2f at %d GB", c.getValue(), pause / first, gb));
        }
      }
    }
    rows.forEach(System.out::println);
    if (!growth.isEmpty()) {
      System.out.println("pause against the first size:");
      growth.forEach(System.out::println);
    }
  }

  private static double median(List<double[]> runs, int column) {
    List<Double> sorted = new ArrayList<>();
    runs.forEach(r -> sorted.add(r[column]));
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static List<String> run(String classpath, long gb, int reps, Path work)
      throws IOException, InterruptedException {
    long heap = gb + gb / 2 + 2; // room for the collector to work without thrashing
    Files.createDirectories(work);
    Path safepoints = work.resolve("safepoints-" + gb + "g.log");
    Files.deleteIfExists(safepoints);
    Files.createFile(safepoints);
    ProcessBuilder pb =
        new ProcessBuilder(
            System.getProperty("java.home") + "/bin/java",
            "-Xms" + heap + "g",
            "-Xmx" + heap + "g",
            "-XX:+UseG1GC",
            "-Xlog:safepoint=info:file=" + safepoints + "::filecount=0",
            "-cp",
            classpath,
            FilledHeap.class.getName(),
            Long.toString(gb),
            Integer.toString(reps),
            safepoints.toString());
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
