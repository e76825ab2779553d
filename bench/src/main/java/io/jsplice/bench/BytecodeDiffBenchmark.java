package io.jsplice.bench;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Times {@link BytecodeDiff#compare} on a real library update, Bouncy Castle's provider jar 1.66 to
 * 1.67 (about 4,300 classes each), against reading and parsing both jars without comparing them.
 * Prints a table of milliseconds per operation and each operation's ratio to that baseline.
 *
 * <p>Run: {@code ./mvnw -B -ntp verify -pl bench -am -Pbench -DskipTests}; {@code -Dbench.warmup=N
 * -Dbench.iterations=N} change the number of runs. The jars come from the local Maven repository,
 * fetched from Maven Central on first use.
 */
public final class BytecodeDiffBenchmark {
  private static final String GROUP = "org.bouncycastle";
  private static final String ARTIFACT = "bcprov-jdk15on";

  private BytecodeDiffBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmup = option(args, "--warmup", 3);
    int iterations = option(args, "--iterations", 10);
    MavenJars jars = new MavenJars();
    DiffOperations operations =
        new DiffOperations(jars.jar(GROUP, ARTIFACT, "1.66"), jars.jar(GROUP, ARTIFACT, "1.67"));
    ClassSet[] sets = operations.read();
    System.out.printf(
        "%s 1.66 -> 1.67: %,d and %,d classes (%,d and %,d bytes of jar)%n",
        ARTIFACT,
        sets[0].size(),
        sets[1].size(),
        Files.size(operations.pre()),
        Files.size(operations.post()));
    System.out.printf(
        "JVM %s (%s), %d processors, max heap %d MB; %d warm-up and %d measured runs each%n%n",
        System.getProperty("java.vm.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        warmup,
        iterations);

    Timing read = Timing.measure("read both jars", warmup, iterations, operations::read);
    Timing baseline =
        Timing.measure(
            "read + parse every class (baseline)", warmup, iterations, operations::readAndParse);
    Timing readAndDiff =
        Timing.measure("read + BytecodeDiff.compare", warmup, iterations, operations::readAndDiff);
    Timing diffOnly =
        Timing.measure(
            "BytecodeDiff.compare (sets in memory)",
            warmup,
            iterations,
            () -> BytecodeDiff.compare(sets[0], sets[1]));
    System.out.print(ResultTable.format(List.of(read, baseline, readAndDiff, diffOnly), baseline));
    System.out.println();
    System.out.println(summary(BytecodeDiff.compare(sets[0], sets[1])));
  }

  /** What the diff found, so that a run also shows the work was real. */
  private static String summary(ClassSetDiff diff) {
    Map<Object, Long> byStatus =
        diff.classes().stream()
            .collect(Collectors.groupingBy(ClassDiff::status, TreeMap::new, Collectors.counting()));
    Map<ChangeKind, Long> byKind =
        diff.classes().stream()
            .flatMap(c -> c.changes().stream())
            .collect(Collectors.groupingBy(Change::kind, TreeMap::new, Collectors.counting()));
    return "diff: "
        + diff.classes().size()
        + " classes differ "
        + byStatus
        + ", "
        + diff.renamedClasses().size()
        + " renamed by content; changes by kind "
        + byKind;
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
