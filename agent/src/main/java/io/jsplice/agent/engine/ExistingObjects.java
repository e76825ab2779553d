package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.model.StaleState;
import io.jsplice.model.Update;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Looks for the objects of classes whose construction an update changes, that the program built
 * before the update: where there are none, nothing built before can keep the old behaviour.
 *
 * <p>A class not loaded in any loader has no objects, and needs no look at the heap; for a loaded
 * one the heap is scanned after the switch ({@link InstanceWork}), so that no object built by the
 * old code between a look and the switch escapes (a look before the switch as well would cost a
 * second scan on every apply, to save a switch and a rollback on a refused one). The heap is only
 * asked when there is something to look for: an update without such classes and without instance
 * actions never loads the native library.
 */
final class ExistingObjects {
  private final Instrumentation instrumentation;
  private final ClassInitialization initialization;
  private final Supplier<Heap> heap;

  ExistingObjects(Instrumentation instrumentation, Supplier<Heap> heap) {
    this.instrumentation = instrumentation;
    this.initialization = new ClassInitialization(instrumentation);
    this.heap = heap;
  }

  /**
   * What there is to look for, decided before the switch.
   *
   * @param classes the loaded classes of each stale {@link StaleState.Kind#OBJECTS}, in every
   *     loader
   * @param staleHere one line per other stale state (a static field, a cache) whose class this JVM
   *     has initialized: a class it has not initialized holds no old state, and computes its static
   *     state with the fixed code when it does
   * @param cannotLook one line per class whose objects cannot be looked for here (the heap cannot
   *     be walked): they count as not in force
   */
  record Search(
      Map<StaleState, List<Class<?>>> classes,
      List<String> staleHere,
      List<String> cannotLook,
      Map<StaleState, List<Class<?>>> uninitialized) {
    static final Search NONE = new Search(Map.of(), List.of(), List.of(), Map.of());
  }

  /**
   * The stale states of classes that were loaded but not initialized before the switch and are
   * initialized now: they may have run the old code just before it (a conservative answer).
   */
  List<String> initializedSince(Search search) {
    List<String> out = new ArrayList<>();
    // Loops, not lambdas: every apply asks, and each lambda's class is spun at its first use.
    for (Map.Entry<StaleState, List<Class<?>>> e : search.uninitialized().entrySet()) {
      for (Class<?> c : e.getValue()) {
        if (initialization.isInitialized(c)) {
          out.add(e.getKey().describeHere() + " (its class was initialized during the apply)");
          break;
        }
      }
    }
    return out;
  }

  /**
   * Finds which state the update names as staying old (when it is only partly in force) this JVM
   * holds, and whether the heap can be walked for the objects of it and of the instance actions.
   */
  Search search(Update update) {
    // State under a condition this JVM meets is what the fixed code builds here: not stale.
    List<StaleState> stale =
        update.partlyInForce()
            ? update.applicability().stale().stream().filter(StaleState::staleHere).toList()
            : List.of();
    if (stale.isEmpty() && update.instanceActions().isEmpty()) {
      return Search.NONE;
    }
    Map<String, List<Class<?>>> byName = new HashMap<>();
    Set<String> wanted = new HashSet<>();
    stale.forEach(s -> wanted.add(s.owner()));
    update.instanceActions().forEach(a -> wanted.add(a.owner()));
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (wanted.contains(c.getName())) {
        byName.computeIfAbsent(c.getName(), n -> new ArrayList<>()).add(c);
      }
    }
    Map<StaleState, List<Class<?>>> classes = new LinkedHashMap<>();
    Map<StaleState, List<Class<?>>> uninitialized = new LinkedHashMap<>();
    List<String> staleHere = new ArrayList<>();
    for (StaleState s : stale) {
      List<Class<?>> loaded = byName.getOrDefault(s.owner(), List.of());
      if (s.kind() == StaleState.Kind.OBJECTS) {
        if (!loaded.isEmpty()) {
          classes.put(s, loaded); // in every loader; a scan for it takes its subclasses too
        }
      } else if (loaded.stream().anyMatch(initialization::isInitialized)) {
        staleHere.add(s.describeHere());
      } else if (!loaded.isEmpty()) {
        uninitialized.put(s, loaded);
      }
    }
    List<String> acted = new ArrayList<>();
    update.instanceActions().stream()
        .map(a -> a.owner())
        .distinct()
        .filter(byName::containsKey)
        .forEach(acted::add);
    if (classes.isEmpty() && acted.isEmpty()) {
      return new Search(Map.of(), staleHere, List.of(), uninitialized);
    }
    Heap walkable = heap.get();
    if (!walkable.available()) {
      List<String> cannot = new ArrayList<>();
      acted.forEach(
          name ->
              cannot.add(
                  "objects of "
                      + name
                      + " built before the update (they cannot be looked for, to bring them to"
                      + " the fixed state: "
                      + walkable.problem()
                      + ")"));
      classes
          .keySet()
          .forEach(
              s ->
                  cannot.add(
                      s.describeHere()
                          + " (the class is loaded, and its objects cannot be looked for: "
                          + walkable.problem()
                          + ")"));
      return new Search(Map.of(), staleHere, cannot, uninitialized);
    }
    return new Search(classes, staleHere, List.of(), uninitialized);
  }
}
