package io.jsplice.bootstrap;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes of objects whose class the running JVM cannot have. A fixed release may subclass a
 * class that the loaded release declares {@code final}; a stock JVM cannot change a loaded class's
 * flags, so such a subclass cannot be defined. jsplice builds its objects as objects of the final
 * class instead and records here which class they stand for (their <em>kind</em>); the installed
 * code tests the kind where the fixed code tests the class ({@code instanceof}, casts, the methods
 * the subclass overrides). The class that stands for the subclass holds its static members and the
 * code of its methods, and registers which kind it extends.
 *
 * <p>Objects are keyed by identity and weakly, like shadow fields. Thread-safe.
 */
public final class MergedKinds {
  private MergedKinds() {}

  private static final ShadowField KIND = new ShadowField("jsplice merged kind");

  /** A kind to the kind it extends; kinds that extend the final class itself are absent. */
  private static final ConcurrentHashMap<Class<?>, Class<?>> SUPER = new ConcurrentHashMap<>();

  /** Records that objects of {@code kind} also are of kind {@code superKind}. */
  public static void extend(Class<?> kind, Class<?> superKind) {
    SUPER.put(kind, superKind);
  }

  /** Marks {@code object} as being of {@code kind}. */
  public static void mark(Object object, Class<?> kind) {
    KIND.set(object, kind);
  }

  /** The kind of {@code object}, or null if it is an object of its own class. */
  public static Class<?> of(Object object) {
    return object == null ? null : (Class<?>) KIND.get(object);
  }

  /** Whether {@code object} is of {@code kind} or of a kind that extends it. */
  public static boolean isInstance(Object object, Class<?> kind) {
    for (Class<?> k = of(object); k != null; k = SUPER.get(k)) {
      if (k == kind) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code object} if it is null or of {@code kind}.
   *
   * @throws ClassCastException otherwise, naming the kind
   */
  public static Object cast(Object object, Class<?> kind) {
    if (object == null || isInstance(object, kind)) {
      return object;
    }
    Class<?> actual = of(object);
    throw new ClassCastException(
        "class "
            + (actual != null ? actual.getName() : object.getClass().getName())
            + " cannot be cast to class "
            + kind.getName());
  }
}
