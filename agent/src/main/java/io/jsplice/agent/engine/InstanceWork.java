package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.agent.heap.HeapUnavailableException;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StaleState;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Brings the objects a program built before an update to the fixed state, after the switch: it
 * finds the objects of the classes the update's {@link InstanceAction}s name on the heap (one scan
 * per class, which takes its subclasses too) and carries the actions out on each, keeping what it
 * needs to undo them (through weak references: an object collected meanwhile needs no undo). Then
 * it looks whether objects of classes whose old state nothing brings in force ({@link
 * StaleState.Kind#OBJECTS}) are still reachable: cleared caches may have held the last references
 * to them.
 *
 * <p>Runs on the thread applying the update while the application runs: an object may be in use
 * while its field is merged, as static state is merged today. An update without instance actions
 * and without such classes never asks for the heap.
 */
final class InstanceWork {
  private final java.lang.instrument.Instrumentation instrumentation;
  private final Supplier<Heap> heap;
  private final Consumer<String> log;

  InstanceWork(
      java.lang.instrument.Instrumentation instrumentation,
      Supplier<Heap> heap,
      Consumer<String> log) {
    this.instrumentation = instrumentation;
    this.heap = heap;
    this.log = log;
  }

  /**
   * What was done: how to undo it, what could not be brought in force (one line each), and what was
   * done (one line per action, for the log).
   */
  record Result(List<StateTransfer.Restore> restores, List<String> notInForce) {
    static final Result NONE = new Result(List.of(), List.of());
  }

  /**
   * Carries out the actions and looks for what stays old.
   *
   * @param actions the update's instance actions
   * @param stale the loaded classes of each state the update names as staying old, found before the
   *     switch
   */
  Result run(List<InstanceAction> actions, Map<StaleState, List<Class<?>>> stale)
      throws HeapUnavailableException {
    Map<InstanceAction, List<Class<?>>> owners =
        actions.isEmpty() ? Map.of() : owners(actions, instrumentation.getAllLoadedClasses());
    if (owners.isEmpty() && stale.isEmpty()) {
      return Result.NONE;
    }
    Set<Class<?>> roots = new LinkedHashSet<>();
    owners.values().forEach(roots::addAll);
    stale.values().forEach(roots::addAll);
    List<Object> found = new ArrayList<>(heap.get().instancesOf(new ArrayList<>(roots)));
    List<StateTransfer.Restore> restores = new ArrayList<>();
    List<String> notInForce = new ArrayList<>();
    for (Map.Entry<InstanceAction, List<Class<?>>> e : owners.entrySet()) {
      for (Class<?> owner : e.getValue()) {
        carryOut(e.getKey(), owner, found, restores, notInForce);
      }
    }
    Set<Class<?>> staleClasses = staleClassesAmong(stale, found);
    // The objects found must not be held while the heap is walked from the roots: this thread's
    // references would make garbage among them reachable.
    found.clear();
    notInForce.addAll(stillOld(stale, staleClasses));
    return new Result(restores, notInForce);
  }

  /** The loaded classes each action concerns, in every loader; actions on unloaded ones drop. */
  private static Map<InstanceAction, List<Class<?>>> owners(
      List<InstanceAction> actions, Class<?>[] loaded) {
    Map<String, List<Class<?>>> byName = new HashMap<>();
    Set<String> wanted = new HashSet<>();
    actions.forEach(a -> wanted.add(a.owner()));
    for (Class<?> c : loaded) {
      if (wanted.contains(c.getName())) {
        byName.computeIfAbsent(c.getName(), n -> new ArrayList<>()).add(c);
      }
    }
    Map<InstanceAction, List<Class<?>>> out = new LinkedHashMap<>();
    for (InstanceAction a : actions) {
      List<Class<?>> classes = byName.get(a.owner());
      if (classes != null) {
        out.put(a, classes);
      }
    }
    return out;
  }

  private void carryOut(
      InstanceAction action,
      Class<?> owner,
      List<Object> found,
      List<StateTransfer.Restore> restores,
      List<String> notInForce) {
    List<Object> objects = new ArrayList<>();
    for (Object o : found) {
      if (owner.isInstance(o)) {
        objects.add(o);
      }
    }
    if (objects.isEmpty()) {
      return;
    }
    int done = 0;
    List<String> failed = new ArrayList<>();
    try {
      Step step = step(action, owner);
      for (Object o : objects) {
        try {
          restores.add(step.run(o));
          done++;
        } catch (FieldMerge.CannotMerge e) {
          failed.add(e.getMessage());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          failed.add(rootCause(e));
        }
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      failed.add(rootCause(e));
    }
    log.accept(action.describe() + ": " + done + " of " + objects.size() + " object(s)");
    if (!failed.isEmpty()) {
      notInForce.add(
          "objects of "
              + owner.getName()
              + " built before the update: "
              + (objects.size() - done)
              + " of "
              + objects.size()
              + " could not "
              + action.describe()
              + " ("
              + failed.get(0)
              + ")");
    }
  }

  /** One action prepared for a class: run on each of its objects. */
  private interface Step {
    StateTransfer.Restore run(Object target)
        throws ReflectiveOperationException, FieldMerge.CannotMerge;
  }

  private static Step step(InstanceAction action, Class<?> owner)
      throws ReflectiveOperationException {
    return switch (action.kind()) {
      case RECOMPUTE_FIELD -> recompute(action, owner);
      case RERUN_SETUP -> rerun(action, owner);
      case CLEAR_CACHE -> clear(field(owner, action.member()));
      case RESET_LAZY -> reset(field(owner, action.member()));
      case DROP_MAP_ENTRIES -> drop(action, owner);
    };
  }

  private static Step recompute(InstanceAction action, Class<?> owner)
      throws ReflectiveOperationException {
    Field field = field(owner, action.member());
    Class<?> source = Class.forName(action.source(), true, owner.getClassLoader());
    Method fresh = source.getMethod(InstanceAction.newValueMethod(action.member()));
    Method old = source.getMethod(InstanceAction.oldValueMethod(action.member()));
    Object base = old.invoke(null);
    return target -> FieldMerge.merge(target, field, base, fresh.invoke(null));
  }

  /**
   * Re-runs the setup method on an object whose class does not override it; saves the fields it
   * touches first (the contents of sets and maps it adds to), to put them back on undo or if it
   * throws.
   */
  private static Step rerun(InstanceAction action, Class<?> owner)
      throws ReflectiveOperationException {
    String name = action.member().substring(0, action.member().indexOf('('));
    Method method = owner.getDeclaredMethod(name);
    method.setAccessible(true);
    List<Field> fields = new ArrayList<>();
    for (String f : action.fields()) {
      fields.add(field(owner, f));
    }
    return target -> {
      for (Class<?> c = target.getClass(); c != owner; c = c.getSuperclass()) {
        for (Method m : c.getDeclaredMethods()) {
          if (m.getName().equals(name) && m.getParameterCount() == 0) {
            throw new ReflectiveOperationException(
                c.getName()
                    + " overrides "
                    + name
                    + "(), so running "
                    + owner.getName()
                    + "'s is not what its constructor did");
          }
        }
      }
      StateTransfer.Restore restore = saved(target, fields);
      try {
        method.invoke(target);
      } catch (ReflectiveOperationException | RuntimeException e) {
        restore.run();
        throw e;
      }
      return restore;
    };
  }

  /** What the fields hold now, to put back: the values, and the contents of collections. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StateTransfer.Restore saved(Object target, List<Field> fields)
      throws IllegalAccessException {
    WeakReference<Object> object = new WeakReference<>(target);
    List<Object> values = new ArrayList<>();
    List<Object> contents = new ArrayList<>();
    for (Field f : fields) {
      Object value = f.get(target);
      values.add(value);
      contents.add(
          value instanceof Map m
              ? new LinkedHashMap<>(m)
              : value instanceof Collection c ? new ArrayList<>(c) : null);
    }
    return () -> {
      Object o = object.get();
      if (o == null) {
        return;
      }
      for (int i = 0; i < fields.size(); i++) {
        Object value = values.get(i);
        fields.get(i).set(o, value);
        if (value instanceof Map m) {
          Map before = (Map) contents.get(i);
          m.putAll(before);
          m.keySet().retainAll(before.keySet());
        } else if (value instanceof Collection c) {
          List before = (List) contents.get(i);
          c.clear();
          c.addAll(before);
        }
      }
    };
  }

  /**
   * Clears a cache the object holds; undo clears it again (what the fixed code cached goes too).
   */
  private static Step clear(Field field) {
    return target -> {
      Object cache = field.get(target);
      clear(cache);
      WeakReference<Object> held = new WeakReference<>(cache);
      return () -> clear(held.get());
    };
  }

  private static void clear(Object cache) {
    if (cache instanceof Map<?, ?> map) {
      map.clear();
    } else if (cache instanceof Collection<?> collection) {
      collection.clear();
    }
  }

  /** Resets a lazily computed field, holding the object's monitor; undo resets it again. */
  private static Step reset(Field field) {
    return target -> {
      synchronized (target) {
        field.set(target, null);
      }
      WeakReference<Object> object = new WeakReference<>(target);
      return () -> {
        Object o = object.get();
        if (o != null) {
          field.set(o, null);
        }
      };
    };
  }

  /**
   * Removes from the map the object holds the entries the source's predicate names (each removed
   * only if still mapped to the same value); undo puts each back where its key is free.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Step drop(InstanceAction action, Class<?> owner)
      throws ReflectiveOperationException {
    Field field = field(owner, action.member());
    Class<?> source = Class.forName(action.source(), true, owner.getClassLoader());
    Method drops =
        source.getMethod(
            InstanceAction.dropsEntryMethod(action.member()), Object.class, Object.class);
    return target -> {
      Object held = field.get(target);
      if (!(held instanceof Map map)) {
        return () -> {};
      }
      Map<Object, Object> removed = new LinkedHashMap<>();
      for (Object o : new ArrayList<>(map.entrySet())) {
        Map.Entry entry = (Map.Entry) o;
        if ((Boolean) drops.invoke(null, entry.getKey(), entry.getValue())) {
          removed.put(entry.getKey(), entry.getValue());
        }
      }
      removed.forEach(map::remove);
      WeakReference<Map> weak = new WeakReference<>(map);
      return () -> {
        Map m = weak.get();
        if (m != null) {
          removed.forEach(m::putIfAbsent);
        }
      };
    };
  }

  /** The exact classes of the objects found that are objects of a stale state's classes. */
  private static Set<Class<?>> staleClassesAmong(
      Map<StaleState, List<Class<?>>> stale, List<Object> found) {
    Set<Class<?>> exact = new LinkedHashSet<>();
    for (List<Class<?>> classes : stale.values()) {
      for (Object o : found) {
        for (Class<?> c : classes) {
          if (c.isInstance(o)) {
            exact.add(o.getClass());
          }
        }
      }
    }
    return exact;
  }

  /**
   * Of the objects of classes whose old state nothing brings in force, those the program can still
   * reach: one line per state with some.
   */
  private List<String> stillOld(Map<StaleState, List<Class<?>>> stale, Set<Class<?>> exact)
      throws HeapUnavailableException {
    if (exact.isEmpty()) {
      return List.of();
    }
    // The scan also reports garbage (cleared caches held some): only reachable objects count.
    List<Object> reachable = heap.get().reachableInstancesOf(new ArrayList<>(exact));
    List<String> out = new ArrayList<>();
    stale.forEach(
        (state, classes) -> {
          long count =
              reachable.stream()
                  .filter(o -> classes.stream().anyMatch(c -> c.isInstance(o)))
                  .count();
          if (count > 0) {
            out.add(state.describeHere() + " [" + count + " found on the heap]");
          }
        });
    return out;
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field f = owner.getDeclaredField(name);
    if (Modifier.isStatic(f.getModifiers())) {
      throw new NoSuchFieldException(owner.getName() + "." + name + " is static");
    }
    f.setAccessible(true);
    return f;
  }

  private static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
