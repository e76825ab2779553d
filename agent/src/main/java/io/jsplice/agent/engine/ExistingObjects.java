package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.agent.heap.HeapUnavailableException;
import io.jsplice.model.StaleState;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Looks for the objects of classes whose construction an update changes, that the program built
 * before the update: where there are none, nothing built before can keep the old behaviour.
 *
 * <p>A class not loaded in any loader has no objects, and needs no look at the heap; for a loaded
 * one (with its loaded subclasses) the heap is walked once, after the switch, so that no object
 * built by the old code between the look and the switch escapes. The heap is only asked when there
 * is something to look for: an update without such classes never loads the native library.
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
   * Finds the loaded classes (and subclasses) of {@code stale}'s {@link StaleState.Kind#OBJECTS}.
   */
  Search search(List<StaleState> stale) {
    List<StaleState> objects =
        stale.stream().filter(s -> s.kind() == StaleState.Kind.OBJECTS).toList();
    if (objects.isEmpty()) {
      return Search.NONE;
    }
    Class<?>[] all = instrumentation.getAllLoadedClasses();
    Map<StaleState, List<Class<?>>> classes = new LinkedHashMap<>();
    for (StaleState s : objects) {
      List<Class<?>> loaded = new ArrayList<>();
      for (Class<?> c : all) {
        if (c.getName().equals(s.owner())) {
          for (Class<?> sub : all) {
            if (c.isAssignableFrom(sub) && !sub.isInterface()) {
              loaded.add(sub);
            }
          }
        }
      }
      if (!loaded.isEmpty()) {
        classes.put(s, loaded);
      }
    }
    if (classes.isEmpty()) {
      return Search.NONE;
    }
    Heap walkable = heap.get();
    if (!walkable.available()) {
      List<String> cannot = new ArrayList<>();
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

  /**
   * Walks the heap once for every class of the search; returns one line per class that has objects
   * (they were built before the update, or since: either way they may hold the old state).
   */
  List<String> look(Search search) throws HeapUnavailableException {
    if (search.classes().isEmpty()) {
      return List.of();
    }
    List<Class<?>> wanted = new ArrayList<>();
    search.classes().values().forEach(wanted::addAll);
    // A linear scan first (one pass over the heap's memory per class): when it finds nothing there
    // is nothing. What it finds may be garbage not yet collected, so the classes it found objects
    // of are looked for again from the roots, which is slower.
    List<Class<?>> scanned =
        heap.get().instancesOf(wanted).stream().<Class<?>>map(Object::getClass).distinct().toList();
    List<Object> found = scanned.isEmpty() ? List.of() : heap.get().reachableInstancesOf(scanned);
    List<String> out = new ArrayList<>();
    search
        .classes()
        .forEach(
            (stale, classes) -> {
              long count = found.stream().filter(o -> classes.contains(o.getClass())).count();
              if (count > 0) {
                out.add(stale.describe() + " [" + count + " found on the heap]");
              }
            });
    return out;
  }
}
