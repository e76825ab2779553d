package io.jsplice.agent.heap;

import java.util.List;

/**
 * Finds the objects of given classes that the JVM holds now. One walk of the heap per class, each
 * in a VM operation: application threads pause while it runs.
 */
public interface Heap {
  /**
   * The objects whose class is exactly one of {@code classes} (subclasses are not included: pass
   * them too), found by a linear scan of the heap: fast, and garbage not yet collected may be among
   * them. Good for work that does no harm to an object nobody can reach.
   *
   * @throws HeapUnavailableException when this JVM's heap cannot be walked; the message says why
   */
  List<Object> instancesOf(List<Class<?>> classes) throws HeapUnavailableException;

  /**
   * The objects of exactly those classes that the program can reach from its roots: no garbage, and
   * slower (every reference is followed).
   *
   * @throws HeapUnavailableException when this JVM's heap cannot be walked; the message says why
   */
  List<Object> reachableInstancesOf(List<Class<?>> classes) throws HeapUnavailableException;

  /** Whether {@link #instancesOf} works here; when not, {@link #problem} says why. */
  boolean available();

  /** Why the heap cannot be walked here, one line; null when it can. */
  String problem();

  /** A heap that cannot be walked, for the given reason. */
  static Heap unavailable(String problem) {
    return new Heap() {
      @Override
      public List<Object> instancesOf(List<Class<?>> classes) throws HeapUnavailableException {
        throw new HeapUnavailableException(problem);
      }

      @Override
      public List<Object> reachableInstancesOf(List<Class<?>> classes)
          throws HeapUnavailableException {
        throw new HeapUnavailableException(problem);
      }

      @Override
      public boolean available() {
        return false;
      }

      @Override
      public String problem() {
        return problem;
      }
    };
  }
}
