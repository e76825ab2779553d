package io.jsplice.bootstrap;

import java.io.ObjectInputFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classes whose objects deserialization refuses, because an update added to them a {@code
 * readObject} that does nothing but refuse (gson 2.8.9's LinkedTreeMap). Java serialization finds
 * {@code readObject} by reflection on the loaded class, where a method added live is not; the JDK's
 * own deserialization filter ({@link ObjectInputFilter}) refuses the class instead, before any of
 * its state is read.
 *
 * <p>The filter is installed once per JVM, as a filter factory when the JVM still allows one (then
 * every stream is covered, including those that set their own filter: it is merged with theirs),
 * else as the JVM-wide filter (then streams that set their own filter are not covered, which {@link
 * #coverage} says). It delegates every class it does not refuse to the filter that was there. If
 * the JVM already has a JVM-wide filter and no factory can be installed, {@link #reject} fails and
 * the update is not applied.
 */
public final class SerialRejections implements ObjectInputFilter {
  private static final Set<Class<?>> REJECTED = ConcurrentHashMap.newKeySet();
  private static volatile String coverage;

  private final ObjectInputFilter next;

  private SerialRejections(ObjectInputFilter next) {
    this.next = next;
  }

  /**
   * Refuses {@code type} (and arrays of it) in every deserialization from now on.
   *
   * @throws IllegalStateException when no filter can be installed in this JVM
   */
  public static synchronized void reject(Class<?> type) {
    install();
    REJECTED.add(type);
  }

  /** Stops refusing {@code type} (the update is undone). */
  public static void allow(Class<?> type) {
    REJECTED.remove(type);
  }

  /** How the filter was installed, for the agent's log; null if it is not. */
  public static String coverage() {
    return coverage;
  }

  private static void install() {
    if (coverage != null) {
      return;
    }
    try {
      ObjectInputFilter.Config.setSerialFilterFactory(
          (current, requested) -> {
            ObjectInputFilter base = requested != null ? requested : current;
            return new SerialRejections(base);
          });
      coverage = "filter factory: every stream";
      return;
    } catch (IllegalStateException | SecurityException factoryTaken) {
      // The factory was set already, or a stream was created: fall back to the JVM-wide filter.
    }
    ObjectInputFilter current = ObjectInputFilter.Config.getSerialFilter();
    if (current instanceof SerialRejections) {
      coverage = "JVM-wide filter";
      return;
    }
    if (current != null) {
      throw new IllegalStateException(
          "this JVM already has a JVM-wide deserialization filter ("
              + current
              + ") and no filter factory can be installed any more; start it with the jsplice"
              + " agent (-javaagent) to apply this update, or restart on the fixed release");
    }
    ObjectInputFilter.Config.setSerialFilter(new SerialRejections(null));
    coverage = "JVM-wide filter: streams with a filter of their own are not covered";
  }

  @Override
  public Status checkInput(FilterInfo info) {
    Class<?> type = info.serialClass();
    while (type != null && type.isArray()) {
      type = type.getComponentType();
    }
    if (type != null && REJECTED.contains(type)) {
      return Status.REJECTED;
    }
    return next == null ? Status.UNDECIDED : next.checkInput(info);
  }

  @Override
  public String toString() {
    return "jsplice: refuses " + REJECTED + (next == null ? "" : ", then " + next);
  }
}
