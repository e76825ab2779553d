package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
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
 */
final class TargetClasses {
  private TargetClasses() {}

  /** The loaded classes of each targeted name, in every class loader. */
  static Map<String, List<Class<?>>> loaded(
      Instrumentation instrumentation, List<Installation> installations) {
    Set<String> names = new HashSet<>();
    installations.forEach(i -> names.add(i.className().replace('/', '.')));
    Map<String, List<Class<?>>> loaded = new HashMap<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && !c.isHidden() && instrumentation.isModifiableClass(c)) {
        loaded.computeIfAbsent(c.getName(), n -> new ArrayList<>()).add(c);
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
    Map<String, byte[]> fixed = new HashMap<>();
    installations.forEach(i -> fixed.put(i.className().replace('/', '.'), i.bytes()));
    Set<String> own = new HashSet<>(ownClasses);
    installations.forEach(i -> own.add(i.className()));
    Map<ClassLoader, UnfoundNames> unfound = new HashMap<>();
    boolean any = false;
    for (String name : pending(installations, loaded)) {
      for (ClassLoader loader : candidates) {
        if (loader == null || loader.getResource(name.replace('.', '/') + ".class") == null) {
          continue;
        }
        Set<String> missing =
            unfound.computeIfAbsent(loader, l -> new UnfoundNames(l, own)).of(fixed.get(name));
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
    Map<String, byte[]> fixed = new HashMap<>();
    installations.forEach(i -> fixed.put(i.className().replace('/', '.'), i.bytes()));
    Set<String> own = new HashSet<>(ownClasses);
    installations.forEach(i -> own.add(i.className()));
    Map<ClassLoader, UnfoundNames> unfound = new HashMap<>();
    Set<Class<?>> out = new HashSet<>();
    for (List<Class<?>> classes : loaded.values()) {
      for (Class<?> c : classes) {
        byte[] bytes = fixed.get(c.getName());
        if (bytes != null
            && !unfound
                .computeIfAbsent(c.getClassLoader(), l -> new UnfoundNames(l, own))
                .of(bytes)
                .isEmpty()) {
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
          out.computeIfAbsent(entry.getKey(), n -> new ArrayList<>()).add(c);
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
    return installations.stream()
        .map(i -> i.className().replace('/', '.'))
        .filter(name -> !loaded.containsKey(name))
        .sorted()
        .toList();
  }

  static Set<Class<?>> flatten(Map<String, List<Class<?>>> loaded) {
    Set<Class<?>> out = new LinkedHashSet<>();
    loaded.values().forEach(out::addAll);
    return out;
  }
}
