package io.jsplice.agent.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * ASM's data-flow verifier over a class's code, with the class hierarchy read from class files (the
 * update's, then those a class loader finds as resources), never by loading a class: it runs in a
 * class file transformer, while the class it checks is being defined, where loading another class
 * that needs it would define it twice.
 *
 * <p>It checks what the JVM's verifier checks about types, stack and locals, with interfaces taken
 * as any object, as HotSpot does; not the stack map frames, nor protected access. A type whose
 * class file cannot be found counts as assignable: this check must not refuse valid code.
 * Thread-safe.
 */
final class BytecodeVerifier {
  /**
   * A class as the verifier needs it: its superclass (null for Object) and whether an interface.
   */
  record Header(String superName, boolean isInterface) {}

  private static final Header MISSING = new Header(null, false);

  private final Map<ClassLoader, Map<String, Header>> headers =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * Why the JVM's verifier would reject {@code classFile}; null when this check finds nothing.
   *
   * @param own class files that are not on disk yet (the update's), by internal name
   * @param loader the loader the class is defined in; its resources give the other classes
   */
  String problem(byte[] classFile, Map<String, byte[]> own, ClassLoader loader) {
    ClassNode node = new ClassNode();
    try {
      new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
    } catch (RuntimeException e) {
      return "its class file cannot be read (" + e + ")";
    }
    Function<String, Header> hierarchy = name -> header(name, own, loader);
    for (MethodNode method : node.methods) {
      if (method.instructions.size() == 0) {
        continue;
      }
      Analyzer<BasicValue> analyzer =
          new Analyzer<>(
              new HierarchyVerifier(
                  Type.getObjectType(node.name),
                  node.superName == null ? null : Type.getObjectType(node.superName),
                  (node.access & Opcodes.ACC_INTERFACE) != 0,
                  hierarchy));
      try {
        analyzer.analyze(node.name, method);
      } catch (AnalyzerException | RuntimeException e) {
        return "the verifier rejects "
            + node.name.replace('/', '.')
            + "."
            + method.name
            + method.desc
            + ": "
            + e.getMessage();
      }
    }
    return null;
  }

  private Header header(String name, Map<String, byte[]> own, ClassLoader loader) {
    byte[] bytes = own.get(name);
    if (bytes != null) {
      return read(bytes);
    }
    Map<String, Header> cache;
    synchronized (headers) {
      cache = headers.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }
    return cache.computeIfAbsent(name, n -> fromResource(n, loader));
  }

  private static Header fromResource(String name, ClassLoader loader) {
    String path = name + ".class";
    try (InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(path)
            : loader.getResourceAsStream(path)) {
      return in == null ? MISSING : read(in.readAllBytes());
    } catch (IOException | RuntimeException unreadable) {
      return MISSING;
    }
  }

  private static Header read(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    return new Header(reader.getSuperName(), (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0);
  }

  /** SimpleVerifier with the hierarchy from class files, never from loaded classes. */
  private static final class HierarchyVerifier extends SimpleVerifier {
    private static final Type OBJECT = Type.getObjectType("java/lang/Object");

    private final Function<String, Header> hierarchy;

    HierarchyVerifier(
        Type current, Type superclass, boolean isInterface, Function<String, Header> hierarchy) {
      super(Opcodes.ASM9, current, superclass, List.of(), isInterface);
      this.hierarchy = hierarchy;
    }

    @Override
    protected boolean isInterface(Type type) {
      return type.getSort() == Type.OBJECT && hierarchy.apply(type.getInternalName()).isInterface();
    }

    @Override
    protected Type getSuperClass(Type type) {
      if (type.getSort() != Type.OBJECT) {
        return OBJECT;
      }
      String superName = hierarchy.apply(type.getInternalName()).superName();
      return superName == null ? null : Type.getObjectType(superName);
    }

    @Override
    protected boolean isAssignableFrom(Type type, Type other) {
      if (type.equals(other) || type.equals(OBJECT)) {
        return true;
      }
      if (type.getSort() == Type.ARRAY) {
        if (other.getSort() != Type.ARRAY || type.getDimensions() > other.getDimensions()) {
          return false;
        }
        Type element = type.getElementType();
        Type otherElement = Type.getType(other.getDescriptor().substring(type.getDimensions()));
        if (element.getSort() != Type.OBJECT || otherElement.getSort() < Type.ARRAY) {
          return element.equals(otherElement);
        }
        return isAssignableFrom(element, otherElement);
      }
      if (other.getSort() == Type.ARRAY) {
        String name = type.getInternalName();
        return name.equals("java/lang/Cloneable") || name.equals("java/io/Serializable");
      }
      Header header = hierarchy.apply(type.getInternalName());
      if (header == MISSING || header.isInterface()) {
        return true; // HotSpot checks interface types at run time; unknown types are not refused
      }
      for (Type t = other; t != null; t = getSuperClass(t)) {
        if (t.equals(type)) {
          return true;
        }
        if (hierarchy.apply(t.getInternalName()) == MISSING) {
          return true; // cannot tell
        }
      }
      return false;
    }

    @Override
    protected Class<?> getClass(Type type) {
      throw new IllegalStateException("the hierarchy comes from class files: " + type);
    }
  }
}
