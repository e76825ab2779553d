package io.jsplice.agent.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines the classes an update adds (new classes of the fixed release, companions that hold
 * methods and fields added to loaded classes, hooks) in each class loader where the update installs
 * code, before that code can run.
 *
 * <p>They are defined in the patched classes' loader and protection domain ({@link ClassDefiner}),
 * so that they resolve by name from the patched code, share its package, and carry the same code
 * source.
 *
 * <p>A class once defined cannot be undefined: an undone or failed apply leaves its classes in the
 * loader. A class of the right name is reused only if jsplice defined it there with the very same
 * bytes (an earlier apply of the same update); any other class of that name makes the apply fail
 * rather than run code the update did not bring. Companion names carry a digest of the update's
 * code, so a rebuilt update never meets an older build's companions.
 *
 * <p>Thread-safe: class loading can happen on any thread.
 */
final class SupportClasses {
  private final ClassDefiner definer;
  private final Map<String, List<ClassBytes>> byUpdate = new ConcurrentHashMap<>();

  /** Per loader: the classes jsplice defined in it, with the SHA-256 of their bytes. */
  private final Map<ClassLoader, Map<String, String>> definedIn =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * @param name binary name; classes are listed supertypes first
   */
  record ClassBytes(String name, byte[] bytes) {}

  SupportClasses(ClassDefiner definer) {
    this.definer = definer;
  }

  void register(String updateId, List<ClassBytes> classes) {
    byUpdate.put(updateId, supertypesFirst(classes));
  }

  /** The classes registered for the update, supertypes first; empty if none. */
  List<ClassBytes> classes(String updateId) {
    return byUpdate.getOrDefault(updateId, List.of());
  }

  /**
   * Orders classes so that each comes after its superclass and interfaces among them: defining a
   * class loads its supertypes, and an added supertype exists only once it is defined.
   */
  static List<ClassBytes> supertypesFirst(List<ClassBytes> classes) {
    Map<String, ClassBytes> byName = new LinkedHashMap<>();
    classes.forEach(c -> byName.put(c.name().replace('.', '/'), c));
    List<ClassBytes> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String name : byName.keySet()) {
      visit(name, byName, done, new HashSet<>(), ordered);
    }
    return List.copyOf(ordered);
  }

  private static void visit(
      String name,
      Map<String, ClassBytes> byName,
      Set<String> done,
      Set<String> path,
      List<ClassBytes> ordered) {
    ClassBytes c = byName.get(name);
    if (c == null || done.contains(name) || !path.add(name)) {
      return;
    }
    org.objectweb.asm.ClassReader reader = new org.objectweb.asm.ClassReader(c.bytes());
    if (reader.getSuperName() != null) {
      visit(reader.getSuperName(), byName, done, path, ordered);
    }
    for (String i : reader.getInterfaces()) {
      visit(i, byName, done, path, ordered);
    }
    done.add(name);
    ordered.add(c);
  }

  void unregister(String updateId) {
    byUpdate.remove(updateId);
  }

  /**
   * Defines the update's support classes in {@code loader}, or finds them there from an earlier
   * apply of the same code.
   *
   * @return the classes, as the loader now resolves them (empty if the update adds none)
   * @throws ReflectiveOperationException when one cannot be defined, or the loader resolves its
   *     name to a class other than the one this update brings
   */
  List<Class<?>> ensureDefined(String updateId, ClassLoader loader, ProtectionDomain domain)
      throws ReflectiveOperationException {
    List<ClassBytes> classes = byUpdate.getOrDefault(updateId, List.of());
    if (classes.isEmpty()) {
      return List.of();
    }
    if (loader == null) {
      throw new ReflectiveOperationException(
          "cannot add " + classes.get(0).name() + " to the boot class loader");
    }
    Map<String, String> ours = recordOf(loader);
    synchronized (ours) {
      List<Class<?>> out = new ArrayList<>();
      for (ClassBytes c : classes) {
        out.add(define(loader, c, domain, ours));
      }
      return out;
    }
  }

  private Map<String, String> recordOf(ClassLoader loader) {
    synchronized (definedIn) {
      return definedIn.computeIfAbsent(loader, l -> new HashMap<>());
    }
  }

  private Class<?> define(
      ClassLoader loader, ClassBytes c, ProtectionDomain domain, Map<String, String> ours)
      throws ReflectiveOperationException {
    String digest = digest(c.bytes());
    Class<?> present = ClassDefiner.present(loader, c.name());
    if (present != null) {
      ClassLoader holder = present.getClassLoader();
      String earlier =
          holder == loader
              ? ours.get(c.name())
              : holder == null ? null : recordOf(holder).get(c.name());
      if (digest.equals(earlier)) {
        return present; // defined by an earlier apply of this very code
      }
      throw new ReflectiveOperationException(
          ClassOrigin.loaderName(loader)
              + " resolves "
              + c.name()
              + (earlier != null
                  ? " to a class an earlier apply defined with other code (classes cannot be"
                      + " undefined); restart the JVM to apply this build, or rebuild the update so"
                      + " that the class gets another name"
                  : " to a class jsplice did not define ("
                      + ClassOrigin.describe(present)
                      + "), so the update cannot add its own class of that name"));
    }
    try {
      Class<?> defined = definer.define(loader, c.name(), c.bytes(), domain);
      ours.put(c.name(), digest);
      return defined;
    } catch (LinkageError e) {
      throw new ReflectiveOperationException(
          "cannot define " + c.name() + " in " + ClassOrigin.loaderName(loader) + ": " + e, e);
    }
  }

  static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
