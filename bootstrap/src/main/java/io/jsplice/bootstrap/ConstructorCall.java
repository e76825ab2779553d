package io.jsplice.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a constructor that an update adds to a class the JVM has already loaded. A stock JVM cannot
 * add a constructor to a loaded class, but it can redefine the body of one the class has: jsplice
 * prepends to one existing constructor (the <em>carrier</em>) a branch that runs the added
 * constructor's body instead, when a call asked for it. The code that called the added constructor
 * now asks through {@link #request} and calls the carrier with neutral arguments; the carrier's
 * first instructions {@link #take} the request and run the added body with the real arguments,
 * inside a real constructor of the class: final fields, the super call and private access behave as
 * in the fixed release.
 *
 * <p>Call order, on one thread: {@code request(owner, index, arguments)}, then immediately the
 * carrier constructor of {@code owner}, whose first action is {@code take(owner)}. Nothing runs in
 * between, so a request is never seen by another constructor. Constructors of other threads find
 * nothing to take.
 *
 * <p>{@link #allocate} serves classes an update adds whose superclass's carrier they may not call
 * (a private constructor, from a class outside its nest): it creates the object and runs the
 * carrier on it as the JDK's serialization does (with {@code sun.reflect.ReflectionFactory}); the
 * new class then runs the rest of its own constructor as a method.
 *
 * <p>Cost for code that does not use it: a carrier reads one volatile int when it starts.
 */
public final class ConstructorCall {
  private ConstructorCall() {}

  private static final AtomicInteger PENDING = new AtomicInteger();

  private static final ThreadLocal<Object[]> REQUEST = new ThreadLocal<>();

  /** Per class built: its allocators by carrier, kept as long as the class lives. */
  private static final ClassValue<ConcurrentHashMap<Constructor<?>, Constructor<?>>> ALLOCATORS =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Constructor<?>, Constructor<?>> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  /** Whether any thread has asked for an added constructor that has not started yet. */
  public static boolean pending() {
    return PENDING.get() != 0;
  }

  /**
   * Asks the next carrier constructor of {@code owner} on this thread to run added constructor
   * number {@code index} with {@code arguments} (primitives boxed).
   */
  public static void request(Class<?> owner, int index, Object[] arguments) {
    Object[] request = new Object[arguments.length + 2];
    request[0] = owner;
    request[1] = index;
    System.arraycopy(arguments, 0, request, 2, arguments.length);
    if (REQUEST.get() == null) {
      PENDING.incrementAndGet();
    }
    REQUEST.set(request);
  }

  /**
   * Takes this thread's request for {@code owner}: element 0 is the added constructor's index (an
   * {@code Integer}), the arguments follow; null if there is none for this class.
   */
  public static Object[] take(Class<?> owner) {
    Object[] request = REQUEST.get();
    if (request == null || request[0] != owner) {
      return null;
    }
    REQUEST.remove();
    PENDING.decrementAndGet();
    Object[] out = new Object[request.length - 1];
    System.arraycopy(request, 1, out, 0, out.length);
    return out;
  }

  /**
   * A new object of {@code concrete} on which only {@code declaring}'s constructor with {@code
   * parameterTypes} has run (with {@code arguments}), not those of the classes between them.
   *
   * @throws Throwable what the constructor throws
   */
  public static Object allocate(
      Class<?> concrete, Class<?> declaring, Class<?>[] parameterTypes, Object[] arguments)
      throws Throwable {
    Constructor<?> carrier = declaring.getDeclaredConstructor(parameterTypes);
    Constructor<?> allocator =
        ALLOCATORS
            .get(concrete)
            .computeIfAbsent(
                carrier,
                c ->
                    sun.reflect.ReflectionFactory.getReflectionFactory()
                        .newConstructorForSerialization(concrete, c));
    try {
      return allocator.newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
