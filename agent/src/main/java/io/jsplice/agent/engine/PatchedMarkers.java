package io.jsplice.agent.engine;

import io.jsplice.bootstrap.Patched;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Reads which update's code a loaded class runs from its {@link Patched} marker, in every class
 * loader.
 *
 * <p>The marker is read from the class's raw annotation bytes and constant pool (JVMS 4.7.16),
 * which name the annotation type without loading it. {@code Class.getAnnotation} cannot do that
 * everywhere: reflection silently drops an annotation whose type the class's own loader does not
 * resolve, and a loader that does not delegate to the system class loader (an OSGi bundle's, a
 * plugin's or an isolated application's, with the platform loader as parent) does not see {@code
 * io.jsplice.bootstrap}. Nor is it cheap the first time: it parses the annotation's type signature
 * and generates a proxy class for it and for its {@code @Retention} and {@code @Target}, some sixty
 * of the JDK's classes that a JVM the agent was attached to for one apply would load for this
 * alone. The raw bytes take two package-private methods of {@code java.lang.Class} and {@code
 * jdk.internal.reflect.ConstantPool}, which the agent opens to its own module only. Both are those
 * of the class's current version, so they tell what it runs now. Where they cannot be read (a JDK
 * without them), the annotation API answers.
 *
 * <p>How those methods are called depends on the JDK ({@link JdkInternals}), since in a JVM the
 * agent was just attached to the first call of each is what costs: up to JDK 17, reflection starts
 * with the JVM's native calls and spins nothing; from JDK 18 on (JEP 416) it spins lambda forms and
 * loads some twenty classes of the JDK's generic-signature and class-specializer code, where method
 * handles of the shapes the JDK's class data archive holds spin three (issue 13).
 *
 * <p>Thread-safe.
 */
final class PatchedMarkers {
  private static final String DESCRIPTOR = "L" + Patched.class.getName().replace('.', '/') + ";";

  private final Instrumentation instrumentation;
  private volatile JdkInternals internals; // null until the first read

  PatchedMarkers(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /**
   * The id of the update whose code {@code type} runs; null when it has no marker, or when the
   * marker cannot be read (then the caller treats the class as not patched, the safe answer).
   */
  String updateOf(Class<?> type) {
    try {
      JdkInternals jdk = internals();
      byte[] raw = jdk.rawAnnotations(type);
      return raw == null ? null : fromRaw(ByteBuffer.wrap(raw), jdk, jdk.constantPool(type));
    } catch (ReflectiveOperationException | RuntimeException unreadable) {
      Patched marker = type.getAnnotation(Patched.class);
      return marker == null ? null : marker.update();
    }
  }

  /** Reads a RuntimeVisibleAnnotations attribute's content for the marker's update element. */
  private static String fromRaw(ByteBuffer in, JdkInternals jdk, Object pool)
      throws ReflectiveOperationException {
    int annotations = in.getShort() & 0xFFFF;
    for (int i = 0; i < annotations; i++) {
      boolean marker = DESCRIPTOR.equals(jdk.utf8(pool, in.getShort() & 0xFFFF));
      int pairs = in.getShort() & 0xFFFF;
      for (int j = 0; j < pairs; j++) {
        String element = jdk.utf8(pool, in.getShort() & 0xFFFF);
        if (marker && element.equals("update") && in.get(in.position()) == 's') {
          in.get();
          return jdk.utf8(pool, in.getShort() & 0xFFFF);
        }
        skipElementValue(in);
      }
    }
    return null;
  }

  private static void skipElementValue(ByteBuffer in) {
    char tag = (char) in.get();
    switch (tag) {
      case 'e' -> in.position(in.position() + 4);
      case '@' -> {
        in.getShort();
        int pairs = in.getShort() & 0xFFFF;
        for (int j = 0; j < pairs; j++) {
          in.getShort();
          skipElementValue(in);
        }
      }
      case '[' -> {
        int values = in.getShort() & 0xFFFF;
        for (int j = 0; j < values; j++) {
          skipElementValue(in);
        }
      }
      default -> in.getShort(); // a constant or a class: one constant pool index
    }
  }

  private JdkInternals internals() throws ReflectiveOperationException {
    JdkInternals jdk = internals;
    if (jdk == null) {
      openToThisModule();
      Class<?> constantPool = Class.forName("jdk.internal.reflect.ConstantPool");
      // Through factories: a constructor here would make the verifier load both classes.
      jdk =
          Runtime.version().feature() >= 18
              ? Handles.of(constantPool)
              : Reflective.of(constantPool);
      internals = jdk;
    }
    return jdk;
  }

  /**
   * Opens {@code java.lang} and {@code jdk.internal.reflect} to the agent's module. Opening, not
   * exporting, both: the JDK's {@code redefineModule} spins a lambda for each kind it changes.
   */
  private void openToThisModule() {
    Module javaBase = Object.class.getModule();
    Module ours = PatchedMarkers.class.getModule();
    boolean lang = javaBase.isOpen("java.lang", ours);
    boolean reflect = javaBase.isOpen("jdk.internal.reflect", ours);
    if (lang && reflect) {
      return;
    }
    Map<String, Set<Module>> opens =
        lang
            ? Map.of("jdk.internal.reflect", Set.of(ours))
            : reflect
                ? Map.of("java.lang", Set.of(ours))
                : Map.of("java.lang", Set.of(ours), "jdk.internal.reflect", Set.of(ours));
    instrumentation.redefineModule(javaBase, Set.of(), Map.of(), opens, Set.of(), Map.of());
  }

  /**
   * {@code Class.getRawAnnotations()}, {@code Class.getConstantPool()} and {@code
   * ConstantPool.getUTF8At(int)}, once their packages are open to the agent. Thread-safe.
   */
  private abstract static class JdkInternals {
    abstract byte[] rawAnnotations(Class<?> type) throws ReflectiveOperationException;

    /** The class's {@code jdk.internal.reflect.ConstantPool}. */
    abstract Object constantPool(Class<?> type) throws ReflectiveOperationException;

    abstract String utf8(Object pool, int index) throws ReflectiveOperationException;
  }

  /** Through reflection, whose first calls are the JVM's native ones up to JDK 17. */
  private static final class Reflective extends JdkInternals {
    private final Method rawAnnotations;
    private final Method constantPool;
    private final Method utf8At;

    static JdkInternals of(Class<?> constantPoolClass) throws ReflectiveOperationException {
      return new Reflective(constantPoolClass);
    }

    private Reflective(Class<?> constantPoolClass) throws ReflectiveOperationException {
      rawAnnotations = Class.class.getDeclaredMethod("getRawAnnotations");
      rawAnnotations.setAccessible(true);
      constantPool = Class.class.getDeclaredMethod("getConstantPool");
      constantPool.setAccessible(true);
      utf8At = constantPoolClass.getMethod("getUTF8At", int.class);
    }

    @Override
    byte[] rawAnnotations(Class<?> type) throws ReflectiveOperationException {
      return (byte[]) rawAnnotations.invoke(type);
    }

    @Override
    Object constantPool(Class<?> type) throws ReflectiveOperationException {
      return constantPool.invoke(type);
    }

    @Override
    String utf8(Object pool, int index) throws ReflectiveOperationException {
      return (String) utf8At.invoke(pool, index);
    }
  }

  /**
   * Through method handles of exact types: the first two have the shape {@code (Object)Object} and
   * the third is a special (non-virtual) call, whose lambda forms the JDK's class data archive
   * holds; only the third's adaptation to a receiver typed {@code Object} spins classes.
   */
  private static final class Handles extends JdkInternals {
    private final MethodHandle rawAnnotations;
    private final MethodHandle constantPool;
    private final MethodHandle utf8At;

    static JdkInternals of(Class<?> constantPoolClass) throws ReflectiveOperationException {
      return new Handles(constantPoolClass);
    }

    private Handles(Class<?> constantPoolClass) throws ReflectiveOperationException {
      MethodHandles.Lookup lang =
          MethodHandles.privateLookupIn(Class.class, MethodHandles.lookup());
      rawAnnotations =
          lang.findVirtual(Class.class, "getRawAnnotations", MethodType.methodType(byte[].class));
      constantPool =
          lang.findVirtual(Class.class, "getConstantPool", MethodType.methodType(constantPoolClass))
              .asType(MethodType.methodType(Object.class, Class.class));
      utf8At =
          MethodHandles.privateLookupIn(constantPoolClass, MethodHandles.lookup())
              .findSpecial(
                  constantPoolClass,
                  "getUTF8At",
                  MethodType.methodType(String.class, int.class),
                  constantPoolClass)
              .asType(MethodType.methodType(String.class, Object.class, int.class));
    }

    @Override
    byte[] rawAnnotations(Class<?> type) {
      try {
        return (byte[]) rawAnnotations.invokeExact(type);
      } catch (Throwable t) {
        throw unchecked(t);
      }
    }

    @Override
    Object constantPool(Class<?> type) {
      try {
        return (Object) constantPool.invokeExact(type);
      } catch (Throwable t) {
        throw unchecked(t);
      }
    }

    @Override
    String utf8(Object pool, int index) {
      try {
        return (String) utf8At.invokeExact(pool, index);
      } catch (Throwable t) {
        throw unchecked(t);
      }
    }

    /** The methods throw no checked exception; an error (out of memory) stays one. */
    private static RuntimeException unchecked(Throwable t) {
      if (t instanceof Error error) {
        throw error;
      }
      return t instanceof RuntimeException runtime ? runtime : new IllegalStateException(t);
    }
  }
}
