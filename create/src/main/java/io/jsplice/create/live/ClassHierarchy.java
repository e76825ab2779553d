package io.jsplice.create.live;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the planner knows about classes it does not rewrite: supertypes and member access flags,
 * from the update's class sets first and the JDK second. Used to decide which accesses moved code
 * must bridge and to compute stack map frames for code the planner writes.
 *
 * <p>A class found nowhere is unknown ({@link #info} returns null); callers then assume what javac
 * assumed when it compiled the access.
 */
final class ClassHierarchy {
  /**
   * @param members member key to access flags
   */
  record ClassInfo(
      String name,
      int access,
      String superName,
      List<String> interfaces,
      Map<String, Integer> members) {
    boolean isInterface() {
      return (access & Opcodes.ACC_INTERFACE) != 0;
    }
  }

  private final Function<String, byte[]> source;
  private final Map<String, ClassInfo> cache = new HashMap<>();

  /**
   * @param source class bytes by internal name, or null; JDK classes are found on their own
   */
  ClassHierarchy(Function<String, byte[]> source) {
    this.source = source;
  }

  /** Overrides what the sources say about a class (the installed form of a patched class). */
  void put(byte[] classFile) {
    ClassInfo info = read(classFile);
    cache.put(info.name(), info);
  }

  /** May return null. */
  ClassInfo info(String name) {
    if (cache.containsKey(name)) {
      return cache.get(name);
    }
    byte[] bytes = source.apply(name);
    if (bytes == null) {
      bytes = jdkClass(name);
    }
    ClassInfo info = bytes == null ? null : read(bytes);
    cache.put(name, info);
    return info;
  }

  /** Whether {@code type} is {@code ancestor} or extends/implements it; false if unknown. */
  boolean isSubtype(String type, String ancestor) {
    for (String t = type; t != null; ) {
      if (t.equals(ancestor)) {
        return true;
      }
      ClassInfo info = info(t);
      if (info == null) {
        return false;
      }
      for (String i : info.interfaces()) {
        if (isSubtype(i, ancestor)) {
          return true;
        }
      }
      t = info.superName();
    }
    return false;
  }

  /**
   * Every class and interface {@code type} extends or implements, itself included; null when one of
   * them is found nowhere (then the set is not known).
   */
  Set<String> supertypes(String type) {
    Set<String> out = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(type));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!out.add(t)) {
        continue;
      }
      ClassInfo info = info(t);
      if (info == null) {
        return null;
      }
      todo.addAll(info.interfaces());
      if (info.superName() != null) {
        todo.push(info.superName());
      }
    }
    return out;
  }

  /**
   * The class that declares a member referenced as {@code owner.key}, searching supertypes as the
   * JVM resolves it; null if not found.
   */
  String declaringClass(String owner, String key) {
    for (String t = owner; t != null; ) {
      ClassInfo info = info(t);
      if (info == null) {
        return null;
      }
      if (info.members().containsKey(key)) {
        return t;
      }
      for (String i : info.interfaces()) {
        String found = declaringClass(i, key);
        if (found != null) {
          return found;
        }
      }
      t = info.superName();
    }
    return null;
  }

  /** Access flags of {@code key} in {@code declaring}, or -1 if unknown. */
  int access(String declaring, String key) {
    ClassInfo info = info(declaring);
    if (info == null) {
      return -1;
    }
    return info.members().getOrDefault(key, -1);
  }

  /** For ASM's frame computation: the nearest common superclass of two classes. */
  String commonSuperClass(String a, String b) {
    if (isSubtype(a, b)) {
      return b;
    }
    if (isSubtype(b, a)) {
      return a;
    }
    ClassInfo ia = info(a);
    ClassInfo ib = info(b);
    if (ia == null || ib == null || ia.isInterface() || ib.isInterface()) {
      return "java/lang/Object";
    }
    for (String t = ia.superName(); t != null; ) {
      if (isSubtype(b, t)) {
        return t;
      }
      ClassInfo info = info(t);
      t = info == null ? null : info.superName();
    }
    return "java/lang/Object";
  }

  static ClassInfo read(byte[] classFile) {
    Map<String, Integer> members = new HashMap<>();
    String[] header = new String[2];
    int[] access = new int[1];
    List<String>[] interfaces = new List[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visit(
                  int version,
                  int acc,
                  String name,
                  String signature,
                  String superName,
                  String[] ifaces) {
                header[0] = name;
                header[1] = superName;
                access[0] = acc;
                interfaces[0] = ifaces == null ? List.of() : List.of(ifaces);
              }

              @Override
              public FieldVisitor visitField(
                  int acc, String name, String descriptor, String signature, Object value) {
                members.put(name + ":" + descriptor, acc);
                return null;
              }

              @Override
              public MethodVisitor visitMethod(
                  int acc, String name, String descriptor, String signature, String[] exceptions) {
                members.put(name + descriptor, acc);
                return null;
              }
            },
            ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ClassInfo(header[0], access[0], header[1], interfaces[0], members);
  }

  private static byte[] jdkClass(String name) {
    try (InputStream in =
        ClassLoader.getPlatformClassLoader().getResourceAsStream(name + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }
}
