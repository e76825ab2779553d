package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
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
