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
   * @return the loaded classes of each targeted name, as {@link #loaded} says after loading
   */
  static Map<String, List<Class<?>>> loadPending(
      Instrumentation instrumentation,
      List<Installation> installations,
      Map<String, List<Class<?>>> loaded,
      java.util.function.Consumer<String> log) {
    List<ClassLoader> candidates = loaders(loaded);
    if (candidates.isEmpty()) {
      candidates = List.of(ClassLoader.getSystemClassLoader());
    }
    boolean any = false;
    for (String name : pending(installations, loaded)) {
      for (ClassLoader loader : candidates) {
        if (loader == null || loader.getResource(name.replace('.', '/') + ".class") == null) {
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
   * {@code loaded} without the classes that cannot be linked in their loader (a class referring to
   * an optional dependency the application does not have: it loads, but its code can never run
   * there). Linking is what the switch does first to every class it redefines, and one class that
   * fails it fails the whole switch ({@code invalid class}); such a class is left as it is, with a
   * line in the log, like a class not loaded yet. Links, never initializes.
   */
  static Map<String, List<Class<?>>> linkable(
      Map<String, List<Class<?>>> loaded, java.util.function.Consumer<String> log) {
    Map<String, List<Class<?>>> out = new HashMap<>();
    loaded.forEach(
        (name, classes) -> {
          for (Class<?> c : classes) {
            try {
              c.getDeclaredMethods(); // links the class (and so verifies it), never initializes it
              out.computeIfAbsent(name, n -> new ArrayList<>()).add(c);
            } catch (LinkageError e) {
              log.accept("left " + name + " as it is: it cannot be linked in its loader: " + e);
            }
          }
        });
    return out;
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
