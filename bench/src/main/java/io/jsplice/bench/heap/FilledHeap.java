package io.jsplice.bench.heap;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The target of {@link InstanceWorkBenchmark}: fills its heap with live data (half of it in small
 * linked objects, half in 1 KB arrays, as a service's caches and buffers), holds a few objects of
 * the class an update changes, then times the instance work of an apply: one walk of the heap for
 * that class through the agent's native library. Prints {@code RESULT name millis} lines.
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

  public static void main(String[] args) throws Exception {
    long gigabytes = Long.parseLong(args[0]);
    int reps = Integer.parseInt(args[1]);
    System.out.println(
        "RESULT nativeLoadedBeforeWork " + (mapped() ? 1 : 0)); // an update without work: nothing
    retained = fill(gigabytes * 1024L * 1024 * 1024);
    List<Changed> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(new Changed(i));
    }
    Class<?> heapClass = Class.forName("io.jsplice.agent.heap.JvmtiHeap");
    Object heap = heapClass.getMethod("get").invoke(null);
    Method instancesOf = heap.getClass().getMethod("instancesOf", List.class);
    instancesOf.setAccessible(true);
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      List<?> none = (List<?>) instancesOf.invoke(heap, List.of(Absent.class));
      long scan = System.nanoTime() - start;
      if (!none.isEmpty()) {
        throw new IllegalStateException("found " + none.size() + " objects of a class never built");
      }
      System.out.println("RESULT scan " + scan / 1e6);
      start = System.nanoTime();
      List<?> found = (List<?>) instancesOf.invoke(heap, List.of(Changed.class));
      long nanos = System.nanoTime() - start;
      if (found.size() != held.size()) {
        throw new IllegalStateException("found " + found.size() + " of " + held.size());
      }
      System.out.println("RESULT walk " + nanos / 1e6);
    }
    System.out.println("RESULT nativeLoadedAfterWork " + (mapped() ? 1 : 0));
    System.out.println("RESULT done " + held.size());
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
  private static boolean mapped() throws java.io.IOException {
    return Files.readString(Path.of("/proc/self/maps")).contains("libjsplice-heap");
  }
}
