package io.jsplice.bootstrap;

import java.io.ObjectInputFilter;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * Classes whose objects deserialization refuses, because an update added to them a {@code
 * readObject} that refuses: always (gson 2.8.9's LinkedTreeMap), or when a check of static state
 * fails (commons-collections 3.2.2's InvokerTransformer, unless a system property allows it). Java
 * serialization finds {@code readObject} by reflection on the loaded class, where a method added
 * live is not; the JDK's own deserialization filter ({@link ObjectInputFilter}) refuses the class
 * instead, before any of its state is read, running the fixed release's check where there is one.
 * The stream then throws {@link java.io.InvalidClassException} ("filter status: REJECTED") where
 * the fixed release threw the check's exception; that exception is its cause.
 *
 * <p>Where the filter goes, in order:
 *
 * <ol>
 *   <li>the JVM-wide filter factory, through its field, when the agent handed over access to it
 *       ({@link #useFactorySlot}): the jsplice factory wraps the one that was there (the JDK's, or
 *       the application's {@code jdk.serialFilterFactory}) and puts this filter in front of
 *       whatever that one returns, so every stream created from now on is covered, streams with a
 *       filter of their own and the JVM-wide {@code jdk.serialFilter} included; when the last class
 *       is allowed again, the factory that was there is put back, the same object;
 *   <li>else the public API: a filter factory while the JVM still allows one, else the JVM-wide
 *       filter if there is none (streams with a filter of their own are then not covered, which
 *       {@link #coverage} says); neither can be taken back, so after an undo the filter stays and
 *       refuses nothing; if the JVM already has a JVM-wide filter, {@link #reject} fails and the
 *       update is not applied.
 * </ol>
 *
 * <p>A stream takes its filter when it is created: a stream created before the update keeps the
 * filter it had (the JDK offers no way to reach it), so an object stream the program holds open
 * across the update is not covered.
 *
 * <p>Thread-safe: installing and removing are serialized on the class; the filter reads a
 * concurrent map.
 */
public final class SerialRejections implements ObjectInputFilter {
  /** The refused classes, each with the check that decides, or {@link Check#ALWAYS}. */
  private static final Map<Class<?>, Check> REJECTED = new ConcurrentHashMap<>();

  /** The factory field's handle, from the agent; null if it gave none. Guarded by the class. */
  private static VarHandle factorySlot;

  /** The factory that was there before ours; set while ours is installed. Guarded by the class. */
  private static BinaryOperator<ObjectInputFilter> previousFactory;

  /** Ours, while installed through the field. Guarded by the class. */
  private static BinaryOperator<ObjectInputFilter> ourFactory;

  private static volatile String coverage;

  private final ObjectInputFilter next;

  private SerialRejections(ObjectInputFilter next) {
    this.next = next;
  }

  /** The fixed release's check for a class: it throws where the fixed readObject refuses. */
  private record Check(Method method) {
    static final Check ALWAYS = new Check(null);

    Status decide() {
      if (method == null) {
        return Status.REJECTED;
      }
      try {
        method.invoke(null);
        return Status.UNDECIDED;
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException refusal) {
          // The JDK turns a filter's RuntimeException into REJECTED, with it as the cause of the
          // InvalidClassException: the fixed release's message reaches the caller.
          throw refusal;
        }
        return Status.REJECTED;
      } catch (IllegalAccessException e) {
        return Status.REJECTED;
      }
    }
  }

  /**
   * Gives access to {@code ObjectInputFilter.Config}'s factory field, which lets the filter cover
   * every stream and be taken out again exactly; the agent calls it once, having opened {@code
   * java.io} to itself. Later calls are ignored.
   */
  public static synchronized void useFactorySlot(VarHandle slot) {
    if (factorySlot == null && slot != null) {
      factorySlot = slot;
    }
  }

  /**
   * Refuses {@code type} (and arrays of it) in every deserialization from now on.
   *
   * @throws IllegalStateException when no filter can be installed in this JVM
   */
  public static synchronized void reject(Class<?> type) {
    install();
    REJECTED.put(type, Check.ALWAYS);
  }

  /**
   * Refuses {@code type} (and arrays of it) whenever the static method {@code check} of {@code
   * holder} (no parameters, the fixed release's own check) throws.
   *
   * @throws IllegalStateException when no filter can be installed in this JVM
   * @throws NoSuchMethodException when {@code holder} has no such method
   */
  public static synchronized void rejectUnless(Class<?> type, Class<?> holder, String check)
      throws NoSuchMethodException {
    Method method = holder.getDeclaredMethod(check);
    method.setAccessible(true);
    install();
    REJECTED.put(type, new Check(method));
  }

  /**
   * Stops refusing {@code type} (the update is undone); with the last one, the factory that was
   * there before is put back when the filter went in through the field.
   */
  public static synchronized void allow(Class<?> type) {
    REJECTED.remove(type);
    if (REJECTED.isEmpty() && ourFactory != null) {
      // Put back only over ours: a factory set since (reflection) is not ours to replace.
      factorySlot.compareAndSet(ourFactory, previousFactory);
      coverage = null;
      ourFactory = null;
      previousFactory = null;
    }
  }

  /** How the filter was installed, for the agent's log; null if it is not. */
  public static String coverage() {
    return coverage;
  }

  @SuppressWarnings("unchecked")
  private static void install() {
    if (coverage != null) {
      return;
    }
    if (factorySlot != null) {
      BinaryOperator<ObjectInputFilter> there =
          (BinaryOperator<ObjectInputFilter>) factorySlot.getVolatile();
      if (there != null) {
        BinaryOperator<ObjectInputFilter> ours = new Factory(there);
        factorySlot.setVolatile(ours);
        previousFactory = there;
        ourFactory = ours;
        coverage = "filter factory (in front of " + there + "): every stream created from now on";
        return;
      }
    }
    try {
      ObjectInputFilter.Config.setSerialFilterFactory(
          (current, requested) -> new SerialRejections(requested));
      coverage = "filter factory: every stream created from now on; it stays after an undo";
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
    coverage =
        "JVM-wide filter: streams with a filter of their own are not covered; it stays after an"
            + " undo";
  }

  /**
   * The jsplice factory: whatever the factory that was there decides for a stream, with this filter
   * in front. It hands that factory the stream's filter as it would have been without jsplice.
   */
  private record Factory(BinaryOperator<ObjectInputFilter> previous)
      implements BinaryOperator<ObjectInputFilter> {
    @Override
    public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter requested) {
      ObjectInputFilter own = current instanceof SerialRejections s ? s.next : current;
      return new SerialRejections(previous.apply(own, requested));
    }

    @Override
    public String toString() {
      return "jsplice filter factory in front of " + previous;
    }
  }

  @Override
  public Status checkInput(FilterInfo info) {
    Class<?> type = info.serialClass();
    while (type != null && type.isArray()) {
      type = type.getComponentType();
    }
    if (type != null) {
      Check check = REJECTED.get(type);
      if (check != null) {
        Status status = check.decide();
        if (status == Status.REJECTED) {
          return status;
        }
      }
    }
    return next == null ? Status.UNDECIDED : next.checkInput(info);
  }

  @Override
  public String toString() {
    return "jsplice: refuses " + REJECTED.keySet() + (next == null ? "" : ", then " + next);
  }
}
