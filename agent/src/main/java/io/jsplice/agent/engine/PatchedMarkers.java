package io.jsplice.agent.engine;

import io.jsplice.bootstrap.Patched;
import java.lang.instrument.Instrumentation;
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
 * <p>Thread-safe.
 */
final class PatchedMarkers {
  private static final String DESCRIPTOR = "L" + Patched.class.getName().replace('.', '/') + ";";

  private final Instrumentation instrumentation;
  private volatile Method rawAnnotations;
  private volatile Method constantPool;
  private volatile Method utf8At;

  PatchedMarkers(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /**
   * The id of the update whose code {@code type} runs; null when it has no marker, or when the
   * marker cannot be read (then the caller treats the class as not patched, the safe answer).
   */
  String updateOf(Class<?> type) {
    try {
      byte[] raw = (byte[]) rawAnnotations().invoke(type);
      return raw == null ? null : fromRaw(ByteBuffer.wrap(raw), constantPool.invoke(type));
    } catch (ReflectiveOperationException | RuntimeException unreadable) {
      Patched marker = type.getAnnotation(Patched.class);
      return marker == null ? null : marker.update();
    }
  }

  /** Reads a RuntimeVisibleAnnotations attribute's content for the marker's update element. */
  private String fromRaw(ByteBuffer in, Object pool) throws ReflectiveOperationException {
    int annotations = in.getShort() & 0xFFFF;
    for (int i = 0; i < annotations; i++) {
      boolean marker = DESCRIPTOR.equals(utf8(pool, in.getShort()));
      int pairs = in.getShort() & 0xFFFF;
      for (int j = 0; j < pairs; j++) {
        String element = utf8(pool, in.getShort());
        if (marker && element.equals("update") && in.get(in.position()) == 's') {
          in.get();
          return utf8(pool, in.getShort());
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

  private String utf8(Object pool, short index) throws ReflectiveOperationException {
    return (String) utf8At.invoke(pool, index & 0xFFFF);
  }

  private Method rawAnnotations() throws ReflectiveOperationException {
    Method method = rawAnnotations;
    if (method == null) {
      Module javaBase = Object.class.getModule();
      Module ours = PatchedMarkers.class.getModule();
      Map<String, Set<Module>> exports =
          javaBase.isExported("jdk.internal.reflect", ours)
              ? Map.of()
              : Map.of("jdk.internal.reflect", Set.of(ours));
      Map<String, Set<Module>> opens =
          javaBase.isOpen("java.lang", ours) ? Map.of() : Map.of("java.lang", Set.of(ours));
      if (!exports.isEmpty() || !opens.isEmpty()) {
        instrumentation.redefineModule(javaBase, Set.of(), exports, opens, Set.of(), Map.of());
      }
      Method pool = Class.class.getDeclaredMethod("getConstantPool");
      pool.setAccessible(true);
      utf8At = Class.forName("jdk.internal.reflect.ConstantPool").getMethod("getUTF8At", int.class);
      constantPool = pool;
      method = Class.class.getDeclaredMethod("getRawAnnotations");
      method.setAccessible(true);
      rawAnnotations = method;
    }
    return method;
  }
}
