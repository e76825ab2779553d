package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classes an update targets as this JVM holds them: every loaded class of each targeted name,
 * in every class loader (an application server may hold a library several times), and the names not
 * loaded yet, which the transformer patches as they load.
 *
 * <p>Loops rather than lambdas and streams: an apply in a JVM the agent was attached to for it runs
 * this once, and each lambda's class is spun there at its first run.
 */
final class TargetClasses {
  private TargetClasses() {}

  /** The loaded classes of each targeted name, in every class loader. */
  static Map<String, List<Class<?>>> loaded(
      Instrumentation instrumentation, List<Installation> installations) {
    Set<String> names = new HashSet<>();
    for (Installation installation : installations) {
      names.add(installation.className().replace('/', '.'));
    }
    Map<String, List<Class<?>>> loaded = new HashMap<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && !c.isHidden() && instrumentation.isModifiableClass(c)) {
        add(loaded, c.getName(), c);
      }
    }
    return loaded;
  }

  /**
   * Loads (without initializing) the targeted classes that no loader has loaded yet, in each loader
   * where the update already finds classes (or the system class loader when it finds none) and that
   * has their class file; a class that cannot load stays pending.
   *
   * <p>So does a class whose fixed code names a class the loader cannot find ({@link
   * UnfoundNames}): linking that code may need it (the verifier loads classes to check
   * assignments), and a class the switch cannot link fails the whole switch. The program has never
   * used such a class; if it does, the transformer patches it as it loads, and its linking then
   * fails or not as the fixed release's would there.
   *
   * @param ownClasses internal names of the classes the update defines (added classes, companions)
   * @return the loaded classes of each targeted name, as {@link #loaded} says after loading
   */
  static Map<String, List<Class<?>>> loadPending(
      Instrumentation instrumentation,
      List<Installation> installations,
      Set<String> ownClasses,
      Map<String, List<Class<?>>> loaded,
      java.util.function.Consumer<String> log) {
    List<ClassLoader> candidates = loaders(loaded);
    if (candidates.isEmpty()) {
      candidates = List.of(ClassLoader.getSystemClassLoader());
    }
    Map<String, byte[]> fixed = fixedBytes(installations);
    Set<String> own = own(installations, ownClasses);
    Map<ClassLoader, UnfoundNames> unfound = new HashMap<>();
    boolean any = false;
    for (String name : pending(installations, loaded)) {
      for (ClassLoader loader : candidates) {
        if (loader == null || loader.getResource(name.replace('.', '/') + ".class") == null) {
          continue;
        }
        Set<String> missing = unfoundNames(unfound, loader, own).of(fixed.get(name));
        if (!missing.isEmpty()) {
          log.accept(
              "left "
                  + name
                  + " to load later: its fixed code names "
                  + String.join(", ", missing).replace('/', '.')
                  + ", which "
                  + ClassOrigin.loaderName(loader)
                  + " cannot find");
          continue;
        }
        try {
          Class.forName(name, false, loader);
          any = true;
        } catch (ClassNotFoundException | LinkageError e) {
          log.accept("left " + name + " to load later: loading it now failed: " + e);
        }
      }
    }
    return any ? loaded(instrumentation, installations) : loaded;
  }

  /**
   * The loaded classes whose fixed code names a class their loader cannot find ({@link
   * UnfoundNames}): such a class may not link, so {@link #linkable} tries it.
   *
   * @param ownClasses internal names of the classes the update defines (added classes, companions)
   */
  static Set<Class<?>> namingUnfound(
      Map<String, List<Class<?>>> loaded,
      List<Installation> installations,
      Set<String> ownClasses) {
    Map<String, byte[]> fixed = fixedBytes(installations);
    Set<String> own = own(installations, ownClasses);
    Map<ClassLoader, UnfoundNames> unfound = new HashMap<>();
    Set<Class<?>> out = new HashSet<>();
    for (List<Class<?>> classes : loaded.values()) {
      for (Class<?> c : classes) {
        byte[] bytes = fixed.get(c.getName());
        if (bytes != null && !unfoundNames(unfound, c.getClassLoader(), own).of(bytes).isEmpty()) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /**
   * {@code loaded} without the classes that cannot link: the switch links every class it redefines,
   * and one that cannot (a library's class loaded, never linked, whose optional dependency is
   * absent) fails the whole switch ("invalid class"). While such a class cannot link, none of its
   * code can run; it stays pending. Tried: the {@code suspects} (loaded just now) and the classes
   * in {@code unlinked} (found so before), which is updated; a class linked since is kept.
   *
   * <p>A retransformation links a class without initializing it, and is the very step the switch
   * would fail at; it gives the class the bytes the transformers give it now, so it is tried before
   * an apply puts its patches in the table, or for classes that never linked and so never ran.
   */
  static Map<String, List<Class<?>>> linkable(
      Instrumentation instrumentation,
      Map<String, List<Class<?>>> loaded,
      Set<Class<?>> suspects,
      Set<Class<?>> unlinked,
      java.util.function.Consumer<String> log) {
    Map<String, List<Class<?>>> out = new HashMap<>();
    for (Map.Entry<String, List<Class<?>>> entry : loaded.entrySet()) {
      for (Class<?> c : entry.getValue()) {
        boolean suspect = suspects.contains(c) || unlinked.contains(c);
        if (!suspect || links(instrumentation, c, log)) {
          unlinked.remove(c);
          add(out, entry.getKey(), c);
        } else {
          unlinked.add(c);
        }
      }
    }
    return out;
  }

  private static boolean links(
      Instrumentation instrumentation, Class<?> c, java.util.function.Consumer<String> log) {
    Throwable failure = ClassDefiner.link(instrumentation, c);
    if (failure != null) {
      log.accept("left " + c.getName() + " out of the switch: it cannot link now: " + failure);
    }
    return failure == null;
  }

  /** The class loaders of {@code loaded}, each once, in the order met. */
  static List<ClassLoader> loaders(Map<String, List<Class<?>>> loaded) {
    List<ClassLoader> out = new ArrayList<>();
    for (List<Class<?>> list : loaded.values()) {
      for (Class<?> c : list) {
        if (!out.contains(c.getClassLoader())) {
          out.add(c.getClassLoader());
        }
      }
    }
    return out;
  }

  /** The targeted names no loader has loaded yet, sorted. */
  static List<String> pending(
      List<Installation> installations, Map<String, List<Class<?>>> loaded) {
    List<String> out = new ArrayList<>();
    for (Installation installation : installations) {
      String name = installation.className().replace('/', '.');
      if (!loaded.containsKey(name)) {
        out.add(name);
      }
    }
    Collections.sort(out);
    return Collections.unmodifiableList(out);
  }

  static Set<Class<?>> flatten(Map<String, List<Class<?>>> loaded) {
    Set<Class<?>> out = new LinkedHashSet<>();
    for (List<Class<?>> classes : loaded.values()) {
      out.addAll(classes);
    }
    return out;
  }

  /** The fixed class files of the installations, by binary name. */
  private static Map<String, byte[]> fixedBytes(List<Installation> installations) {
    Map<String, byte[]> fixed = new HashMap<>();
    for (Installation installation : installations) {
      fixed.put(installation.className().replace('/', '.'), installation.bytes());
    }
    return fixed;
  }

  /** Internal names of {@code ownClasses} and of the installations' classes. */
  private static Set<String> own(List<Installation> installations, Set<String> ownClasses) {
    Set<String> own = new HashSet<>(ownClasses);
    for (Installation installation : installations) {
      own.add(installation.className());
    }
    return own;
  }

  private static UnfoundNames unfoundNames(
      Map<ClassLoader, UnfoundNames> unfound, ClassLoader loader, Set<String> own) {
    UnfoundNames names = unfound.get(loader);
    if (names == null) {
      names = new UnfoundNames(loader, own);
      unfound.put(loader, names);
    }
    return names;
  }

  private static void add(Map<String, List<Class<?>>> byName, String name, Class<?> c) {
    List<Class<?>> classes = byName.get(name);
    if (classes == null) {
      classes = new ArrayList<>();
      byName.put(name, classes);
    }
    classes.add(c);
  }
}
