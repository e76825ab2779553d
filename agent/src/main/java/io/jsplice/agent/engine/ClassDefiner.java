package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines a class in an application's class loader, as that loader itself would: with {@code
 * ClassLoader.defineClass}, so that the class is in the loader's runtime packages and resolves by
 * name from the loader's other classes. That method is protected; the agent opens {@code java.lang}
 * to its own module only ({@link Instrumentation#redefineModule}), nobody else's.
 *
 * <p>Thread-safe.
 */
final class ClassDefiner {
  private final Instrumentation instrumentation;
  private volatile Method defineClass;

  ClassDefiner(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /**
   * Defines {@code bytes} as {@code name} in {@code loader}.
   *
   * @throws LinkageError what {@code defineClass} throws (a duplicate, a malformed class)
   * @throws ReflectiveOperationException when the method cannot be reached
   */
  Class<?> define(ClassLoader loader, String name, byte[] bytes, ProtectionDomain domain)
      throws ReflectiveOperationException {
    if (loader == null) {
      throw new ReflectiveOperationException("cannot add " + name + " to the boot class loader");
    }
    try {
      return (Class<?>) method().invoke(loader, name, bytes, 0, bytes.length, domain);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof LinkageError linkage) {
        throw linkage;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /**
   * Links {@code classes} without initializing them, as the JVM links a class before it first runs
   * it: a retransformation links each class it is given first (HotSpot). Reflection links too, but
   * also loads every class its members' descriptors name, which linking does not: a class that
   * names an absent optional dependency only there links, and runs until that dependency is needed.
   *
   * @return null when every class linked; else what the retransformation threw, which for a class
   *     that cannot link says only "invalid class" (the JVM keeps its own error)
   */
  static Throwable link(Instrumentation instrumentation, Class<?>... classes) {
    try {
      instrumentation.retransformClasses(classes);
      return null;
    } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
      return e;
    } catch (InternalError e) { // how the JVM reports a class that fails to link ("invalid class")
      return e;
    }
  }

  /** {@link #link(Instrumentation, Class[])} with this definer's instrumentation. */
  Throwable link(Class<?>... classes) {
    return link(instrumentation, classes);
  }

  /**
   * The class of this name that {@code loader} has loaded already; null if none. Never loads (as
   * {@link #present} does, which would load a class file from disk).
   */
  Class<?> loadedIn(ClassLoader loader, String name) {
    for (Class<?> c : instrumentation.getInitiatedClasses(loader)) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The class {@code loader} has, or finds, of this name; null if none. Loads, never links. */
  static Class<?> present(ClassLoader loader, String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError none) {
      return null;
    }
  }

  private Method method() throws ReflectiveOperationException {
    Method method = defineClass;
    if (method == null) {
      Module javaBase = Object.class.getModule();
      Module ours = ClassDefiner.class.getModule();
      if (!javaBase.isOpen("java.lang", ours)) {
        instrumentation.redefineModule(
            javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(ours)), Set.of(), Map.of());
      }
      method =
          ClassLoader.class.getDeclaredMethod(
              "defineClass",
              String.class,
              byte[].class,
              int.class,
              int.class,
              ProtectionDomain.class);
      method.setAccessible(true);
      defineClass = method;
    }
    return method;
  }
}
