package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Whether a loaded class has run its static initializer, asked without running it: a class that has
 * not holds no old static state to carry over, and touching its fields would initialize it with
 * code the program never ran (and dependencies it may not have).
 *
 * <p>Java has no public API for this; HotSpot's {@code jdk.internal.misc.Unsafe} answers it (JDK 17
 * to 25). The agent exports that package to its own module only. If that fails, every class counts
 * as initialized, as before this check existed.
 */
final class ClassInitialization {
  private final Instrumentation instrumentation;
  private volatile Object unsafe;
  private volatile Method shouldBeInitialized;
  private volatile boolean unavailable;

  ClassInitialization(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  boolean isInitialized(Class<?> c) {
    Method method = method();
    if (method == null) {
      return true;
    }
    try {
      return !(boolean) method.invoke(unsafe, c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }

  private Method method() {
    if (unavailable) {
      return null;
    }
    Method method = shouldBeInitialized;
    if (method != null) {
      return method;
    }
    synchronized (this) {
      if (shouldBeInitialized != null || unavailable) {
        return shouldBeInitialized;
      }
      try {
        Module javaBase = Object.class.getModule();
        Module ours = ClassInitialization.class.getModule();
        if (!javaBase.isExported("jdk.internal.misc", ours)) {
          instrumentation.redefineModule(
              javaBase,
              Set.of(),
              Map.of("jdk.internal.misc", Set.of(ours)),
              Map.of(),
              Set.of(),
              Map.of());
        }
        Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
        unsafe = type.getMethod("getUnsafe").invoke(null);
        shouldBeInitialized = type.getMethod("shouldBeInitialized", Class.class);
        return shouldBeInitialized;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        unavailable = true;
        return null;
      }
    }
  }
}
