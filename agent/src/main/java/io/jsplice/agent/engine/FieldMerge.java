package io.jsplice.agent.engine;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gives an instance field of an object built before an update the value its new initializer
 * computes, keeping what the program changed since: a three-way merge of what the object holds with
 * the old initial value (the base) and the new one.
 *
 * <ul>
 *   <li>a plain value (primitive, string, box, enum constant) that still equals the old initial
 *       value takes the new one; one the program changed stays;
 *   <li>a set gains what the new value adds to the old one and loses what it drops, in place (other
 *       holders of the set see it), and keeps what the program added;
 *   <li>a map likewise by key; a key whose value the program changed stays;
 *   <li>a list still equal to the old value takes the new contents; otherwise it loses the old
 *       value's elements the new one drops and gains the new one's elements it lacks, at the end;
 *   <li>a collection that cannot change in place is replaced, if it still equals the old value.
 * </ul>
 *
 * Values are compared with {@code equals}, so only values whose equality means sameness are merged
 * (see {@link #comparable}); anything else is refused with the reason. The undo puts back what the
 * object held, through weak references: an object collected meanwhile needs nothing.
 */
final class FieldMerge {
  private FieldMerge() {}

  /** The object's field cannot be brought to its new value soundly; the message says why. */
  static final class CannotMerge extends Exception {
    private static final long serialVersionUID = 1L;

    CannotMerge(String message) {
      super(message);
    }
  }

  /**
   * Merges into {@code target}'s field.
   *
   * @param base the field's old initial value, as the old initializer computes it
   * @param fresh its new initial value, computed for this object (not shared with another)
   * @return how to undo it
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static StateTransfer.Restore merge(Object target, Field field, Object base, Object fresh)
      throws CannotMerge, IllegalAccessException {
    if (!comparable(base) || !comparable(fresh)) {
      throw new CannotMerge("its initial values cannot be compared by equality");
    }
    if (Objects.equals(base, fresh)) {
      return () -> {};
    }
    Object current = field.get(target);
    if (current == null || !(current instanceof Collection || current instanceof Map)) {
      if (!comparable(current)) {
        throw new CannotMerge("it holds a value that cannot be compared by equality");
      }
      return Objects.equals(current, base) ? assign(target, field, current, fresh) : () -> {};
    }
    if (!comparable(current)) {
      throw new CannotMerge("it holds values that cannot be compared by equality");
    }
    try {
      if (current instanceof Set set
          && base instanceof Collection b
          && fresh instanceof Collection f) {
        return mergeSet(set, new HashSet<>(b), new HashSet<>(f));
      }
      if (current instanceof List list && base instanceof List b && fresh instanceof List f) {
        return mergeList(list, b, f);
      }
      if (current instanceof Map map && base instanceof Map b && fresh instanceof Map f) {
        return mergeMap(map, b, f);
      }
    } catch (UnsupportedOperationException immutable) {
      if (current.equals(base)) {
        return assign(target, field, current, fresh);
      }
      throw new CannotMerge(
          "it holds a collection that cannot change, and the program changed it since");
    }
    throw new CannotMerge(
        "it holds a " + current.getClass().getName() + ", where its initializers build others");
  }

  private static StateTransfer.Restore assign(
      Object target, Field field, Object current, Object fresh) throws IllegalAccessException {
    field.set(target, fresh);
    WeakReference<Object> object = new WeakReference<>(target);
    return () -> {
      Object o = object.get();
      if (o != null) {
        field.set(o, current);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StateTransfer.Restore mergeSet(Set set, Set base, Set fresh) {
    List<Object> before = new ArrayList<>(set);
    List<Object> add = new ArrayList<>(fresh);
    add.removeAll(base);
    List<Object> drop = new ArrayList<>(base);
    drop.removeAll(fresh);
    set.addAll(add); // gains before it loses: never shorter than both versions in between
    drop.forEach(set::remove);
    WeakReference<Set> held = new WeakReference<>(set);
    return () -> {
      Set s = held.get();
      if (s != null) {
        s.addAll(before);
        s.retainAll(new HashSet<>(before));
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StateTransfer.Restore mergeList(List list, List base, List fresh) {
    List<Object> before = new ArrayList<>(list);
    if (list.equals(base)) {
      list.clear();
      list.addAll(fresh);
    } else {
      for (Object gone : base) {
        if (!fresh.contains(gone)) {
          list.remove(gone);
        }
      }
      for (Object added : fresh) {
        if (!base.contains(added) && !list.contains(added)) {
          list.add(added);
        }
      }
    }
    WeakReference<List> held = new WeakReference<>(list);
    return () -> {
      List l = held.get();
      if (l != null) {
        l.clear();
        l.addAll(before);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StateTransfer.Restore mergeMap(Map map, Map base, Map fresh) {
    Map<Object, Object> before = new LinkedHashMap<>(map);
    Map<Object, Object> put = new HashMap<>();
    for (Object k : fresh.keySet()) {
      Object value = fresh.get(k);
      boolean changed = !base.containsKey(k) || !Objects.equals(base.get(k), value);
      boolean untouched =
          base.containsKey(k)
              ? map.containsKey(k) && Objects.equals(map.get(k), base.get(k))
              : !map.containsKey(k);
      if (changed && untouched) {
        put.put(k, value);
      }
    }
    map.putAll(put);
    for (Object k : base.keySet()) {
      if (!fresh.containsKey(k) && map.containsKey(k) && Objects.equals(map.get(k), base.get(k))) {
        map.remove(k);
      }
    }
    WeakReference<Map> held = new WeakReference<>(map);
    return () -> {
      Map m = held.get();
      if (m != null) {
        m.putAll(before);
        m.keySet().retainAll(before.keySet());
      }
    };
  }

  /**
   * Whether equality of the value means sameness: null, strings, boxes, enum constants, classes,
   * and collections and maps of such values.
   */
  static boolean comparable(Object value) {
    return comparable(value, 0);
  }

  private static boolean comparable(Object value, int depth) {
    if (value == null
        || value instanceof String
        || value instanceof Number && value.getClass().getName().startsWith("java.lang.")
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof Enum
        || value instanceof Class) {
      return true;
    }
    if (depth > 3) {
      return false;
    }
    if (value instanceof Collection<?> c) {
      for (Object e : c) {
        if (!comparable(e, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!comparable(e.getKey(), depth + 1) || !comparable(e.getValue(), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
