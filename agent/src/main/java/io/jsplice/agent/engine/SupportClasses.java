package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines the classes an update adds (new classes of the fixed release, and companions that hold
 * methods and fields added to loaded classes) in each class loader where the update installs code,
 * before that code can run.
 *
 * <p>They are defined with {@code ClassLoader.defineClass} in the patched classes' loader and
 * protection domain, so that they resolve by name from the patched code, share its package, and
 * carry the same code source. That method is protected; the agent opens {@code java.lang} to its
 * own module only (Instrumentation.redefineModule), nobody else's.
 *
 * <p>Thread-safe: class loading can happen on any thread.
 */
final class SupportClasses {
  private final Instrumentation instrumentation;
  private final Map<String, List<ClassBytes>> byUpdate = new ConcurrentHashMap<>();
  private final Map<ClassLoader, Set<String>> definedIn =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final Set<String> definedInBoot = ConcurrentHashMap.newKeySet();
  private volatile Method defineClass;

  /**
   * @param name binary name; classes are listed supertypes first
   */
  record ClassBytes(String name, byte[] bytes) {}

  SupportClasses(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  void register(String updateId, List<ClassBytes> classes) {
    byUpdate.put(updateId, supertypesFirst(classes));
  }

  /**
   * Orders classes so that each comes after its superclass and interfaces among them: defining a
   * class loads its supertypes, and an added supertype exists only once it is defined.
   */
  static List<ClassBytes> supertypesFirst(List<ClassBytes> classes) {
    Map<String, ClassBytes> byName = new java.util.LinkedHashMap<>();
    classes.forEach(c -> byName.put(c.name().replace('.', '/'), c));
    List<ClassBytes> ordered = new java.util.ArrayList<>();
    Set<String> done = new java.util.HashSet<>();
    for (String name : byName.keySet()) {
      visit(name, byName, done, new java.util.HashSet<>(), ordered);
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
   * Defines the update's support classes in {@code loader} unless done already. A class of that
   * name that the loader already has (from an earlier apply of the same update) is reused.
   */
  void ensureDefined(String updateId, ClassLoader loader, ProtectionDomain domain)
      throws ReflectiveOperationException {
    List<ClassBytes> classes = byUpdate.getOrDefault(updateId, List.of());
    if (classes.isEmpty()) {
      return;
    }
    Set<String> done;
    synchronized (definedIn) {
      done =
          loader == null
              ? definedInBoot
              : definedIn.computeIfAbsent(loader, l -> ConcurrentHashMap.newKeySet());
    }
    if (done.contains(updateId)) {
      return;
    }
    synchronized (done) {
      if (done.contains(updateId)) {
        return;
      }
      for (ClassBytes c : classes) {
        define(loader, c, domain);
      }
      done.add(updateId);
    }
  }

  private void define(ClassLoader loader, ClassBytes c, ProtectionDomain domain)
      throws ReflectiveOperationException {
    if (loader == null) {
      throw new ReflectiveOperationException(
          "cannot add " + c.name() + " to the boot class loader");
    }
    try {
      Class.forName(c.name(), false, loader);
      return; // the loader has it already (defined by an earlier apply of this update)
    } catch (ClassNotFoundException expected) {
      // define it below
    }
    try {
      defineClassMethod().invoke(loader, c.name(), c.bytes(), 0, c.bytes().length, domain);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LinkageError
          && cause.getMessage() != null
          && cause.getMessage().contains("duplicate")) {
        return; // another thread defined it first
      }
      throw new ReflectiveOperationException(
          "cannot define " + c.name() + " in " + ClassOrigin.loaderName(loader) + ": " + cause,
          cause);
    }
  }

  private Method defineClassMethod() throws ReflectiveOperationException {
    Method method = defineClass;
    if (method == null) {
      Module javaBase = Object.class.getModule();
      Module ours = SupportClasses.class.getModule();
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
