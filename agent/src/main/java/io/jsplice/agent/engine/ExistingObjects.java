package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.model.StaleState;
import io.jsplice.model.Update;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
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
  private final Supplier<Heap> heap;

  ExistingObjects(Instrumentation instrumentation, Supplier<Heap> heap) {
    this.instrumentation = instrumentation;
    this.heap = heap;
  }

  /**
   * What there is to look for, decided before the switch.
   *
   * @param cannotLook one line per class whose objects cannot be looked for here (the heap cannot
   *     be walked): they count as not in force
   */
  record Search(Map<StaleState, List<Class<?>>> classes, List<String> cannotLook) {
    static final Search NONE = new Search(Map.of(), List.of());
  }

  /**
   * Finds the loaded classes (and subclasses) of the update's stale {@link StaleState.Kind#OBJECTS}
   * (when it is only partly in force), and whether the heap can be walked for them and for its
   * instance actions.
   */
  Search search(Update update) {
    List<StaleState> objects =
        update.partlyInForce()
            ? update.applicability().stale().stream()
                .filter(s -> s.kind() == StaleState.Kind.OBJECTS)
                .toList()
            : List.of();
    if (objects.isEmpty() && update.instanceActions().isEmpty()) {
      return Search.NONE;
    }
    Class<?>[] all = instrumentation.getAllLoadedClasses();
    List<String> acted = new ArrayList<>();
    Set<String> owners = new HashSet<>();
    update.instanceActions().forEach(a -> owners.add(a.owner()));
    for (Class<?> c : all) {
      if (owners.remove(c.getName())) {
        acted.add(c.getName());
      }
    }
    Map<StaleState, List<Class<?>>> classes = new LinkedHashMap<>();
    for (StaleState s : objects) {
      List<Class<?>> loaded = new ArrayList<>();
      for (Class<?> c : all) {
        if (c.getName().equals(s.owner())) {
          loaded.add(c); // in every loader; a scan for it takes its subclasses too
        }
      }
      if (!loaded.isEmpty()) {
        classes.put(s, loaded);
      }
    }
    if (classes.isEmpty() && acted.isEmpty()) {
      return Search.NONE;
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
                      s.describe()
                          + " (the class is loaded, and its objects cannot be looked for: "
                          + walkable.problem()
                          + ")"));
      return new Search(Map.of(), cannot);
    }
    return new Search(classes, List.of());
  }
}
