package io.jsplice.bench.heap;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The target of {@link InstanceWorkBenchmark}: fills its heap with live data (half of it in small
 * linked objects, half in 1 KB arrays, as a service's caches and buffers), holds a few objects of
 * the class an update changes, then runs the heap look of an apply through the agent's native
 * library, several times each way. For each it prints {@code RESULT case pauseMillis wallMillis}:
 * the pause is what the JVM's safepoint log ({@code -Xlog:safepoint}, a file given as the third
 * argument) reports for the heap walks' VM operations, the time every application thread stood
 * still; the wall time is the call's, as the agent sees it.
 */
public final class FilledHeap {
  /** The class whose objects the update's instance work looks for. */
  static final class Changed {
    final int id;

    Changed(int id) {
      this.id = id;
    }
  }

  /** A changed class of which the program holds no object (the common case). */
  static final class Absent {}

  /** A small object of the program's own. */
  static final class Node {
    final long value;
    final Node next;

    Node(long value, Node next) {
      this.value = value;
      this.next = next;
    }
  }

  static Object retained;

  private static final Pattern SAFEPOINT =
      Pattern.compile("Safepoint \"(\\w+)\".*Total: (\\d+) ns");

  /** A heap look, as the agent makes it. */
  interface Look {
    List<?> run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    long gigabytes = Long.parseLong(args[0]);
    int reps = Integer.parseInt(args[1]);
    Path safepoints = Path.of(args[2]);
    retained = fill(gigabytes * 1024L * 1024 * 1024);
    List<Changed> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(new Changed(i));
    }
    // An update without instance work never asks for the heap: nothing is loaded, no walk runs.
    System.out.println("RESULT loadedWithoutWork " + (mapped() ? 1 : 0));
    Class<?> heapClass = Class.forName("io.jsplice.agent.heap.JvmtiHeap");
    Object heap = heapClass.getMethod("get").invoke(null);
    Method scan = heap.getClass().getMethod("instancesOf", List.class);
    Method reach = heap.getClass().getMethod("reachableInstancesOf", List.class);
    System.out.println("RESULT loadedWithWork " + (mapped() ? 1 : 0));
    try (RandomAccessFile log = new RandomAccessFile(safepoints.toFile(), "r")) {
      for (int i = 0; i < reps; i++) {
        measure("scanNone", log, 0, () -> (List<?>) scan.invoke(heap, List.of(Absent.class)));
        measure("scanHeld", log, 10, () -> (List<?>) scan.invoke(heap, List.of(Changed.class)));
        measure("reachHeld", log, 10, () -> (List<?>) reach.invoke(heap, List.of(Changed.class)));
      }
      if (reps > 0) {
        // For scale: a full collection of the same heap.
        measure(
            "fullGc",
            log,
            -1,
            () -> {
              System.gc();
              return List.of();
            });
      }
    }
    System.out.println("RESULT done " + held.size());
  }

  private static void measure(String name, RandomAccessFile log, int expected, Look look)
      throws Exception {
    log.seek(log.length());
    long start = System.nanoTime();
    List<?> found = look.run();
    long wall = System.nanoTime() - start;
    if (expected >= 0 && found.size() < expected) {
      throw new IllegalStateException(name + ": found " + found.size() + " of " + expected);
    }
    // The VM writes a safepoint's line as the safepoint ends, about when the walk's caller resumes:
    // read until the walk's line is there.
    long pause = 0;
    int ops = 0;
    StringBuilder appended = new StringBuilder();
    for (int tries = 0; ops == 0 && tries < 1000; tries++) {
      byte[] more = new byte[(int) (log.length() - log.getFilePointer())];
      log.readFully(more);
      appended.append(new String(more, StandardCharsets.UTF_8));
      pause = 0;
      Matcher m = SAFEPOINT.matcher(appended);
      while (m.find()) {
        boolean counted =
            name.equals("fullGc") ? m.group(1).contains("Collect") : m.group(1).startsWith("Heap");
        if (counted) {
          pause += Long.parseLong(m.group(2));
          ops++;
        }
      }
      if (ops == 0) {
        Thread.sleep(10);
      }
    }
    if (ops == 0) {
      throw new IllegalStateException(name + ": no safepoint of it in the log");
    }
    System.out.println("RESULT " + name + " " + pause / 1e6 + " " + wall / 1e6);
  }

  private static Object fill(long bytes) {
    List<Object> roots = new ArrayList<>();
    long nodes = bytes / 2 / 32; // about 32 bytes a node with its header
    Node chain = null;
    for (long i = 0; i < nodes; i++) {
      chain = new Node(i, chain);
      if (i % 1_000_000 == 0) {
        roots.add(chain);
        chain = null;
      }
    }
    roots.add(chain);
    for (long filled = 0; filled < bytes / 2; filled += 1024 + 16) {
      roots.add(new byte[1024]);
    }
    return roots;
  }

  /** Whether the native heap library is mapped into this process. */
  private static boolean mapped() throws IOException {
    return Files.readString(Path.of("/proc/self/maps")).contains("libjsplice-heap");
  }
}
