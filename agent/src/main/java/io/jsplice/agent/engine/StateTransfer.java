package io.jsplice.agent.engine;

import io.jsplice.model.StateAction;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out an update's {@link StateAction}s in one class loader, after the switch, and keeps
 * what it needs to undo them.
 *
 * <p>A merge brings the object a static final field holds up to date in place, so that every holder
 * of that object, not only the patched code, sees the fix: a set gains the new entries before it
 * loses the old ones (a deny-list is never shorter than both versions in between), a map likewise,
 * an array takes the new elements, an object of the library takes the new field values.
 * Unmodifiable wrappers are looked through (the agent opens {@code java.util} to itself only). What
 * cannot be merged (an immutable JDK value) is reported; the patched code still reads the new value
 * from the companion. Where code outside the release can read the field (a public one of a public
 * class, or a protected one of a class that can be extended), that code keeps the old value: the
 * field is not in force, which decides the apply's verdict (commons-io 2.14.0's public {@code
 * XmlStreamReader.ENCODING_PATTERN}, a {@code Pattern}), unless no class that can read it does
 * ({@link FieldReaders}: snakeyaml 1.31's public {@code Resolver.INT}, read by no class of the
 * program).
 *
 * <p>Readers on other threads may observe a collection while it is being updated; the update is a
 * handful of calls on a small object, done once.
 */
final class StateTransfer {
  /** Puts back what an action changed. */
  interface Restore {
    void run() throws ReflectiveOperationException;
  }

  /**
   * The result in one loader: how to undo, what could not be done, and the static fields that code
   * outside the release reads with the old value ("static field a.B.F: why", as a stale state).
   */
  record Result(List<Restore> restores, List<String> warnings, List<String> notInForce) {}

  private final Instrumentation instrumentation;
  private final ClassInitialization initialization;

  StateTransfer(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
    this.initialization = new ClassInitialization(instrumentation);
  }

  Result apply(List<StateAction> actions, ClassLoader loader) throws ReflectiveOperationException {
    openJavaUtil();
    List<Restore> restores = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> notInForce = new ArrayList<>();
    Map<Class<?>, Optional<Set<String>>> readers = new java.util.HashMap<>(); // FieldReaders
    Map<String, Class<?>> loaded = actions.isEmpty() ? Map.of() : definedBy(loader);
    for (StateAction action : actions) {
      Class<?> owner = loaded.get(action.owner());
      if (owner == null || !initialization.isInitialized(owner)) {
        // Not loaded or not initialized here: it has no old state, and when it initializes it runs
        // the installed static initializer. Touching it now would run code the program never ran
        // (netty's BrotliOptions needs brotli4j, an optional dependency).
        continue;
      }
      Field field = owner.getDeclaredField(action.field());
      field.setAccessible(true);
      try {
        run(action, field, loader, restores, warnings, notInForce, readers);
      } catch (RuntimeException | ReflectiveOperationException | LinkageError e) {
        throw new StateActionException(action, e);
      }
    }
    return new Result(restores, warnings, notInForce);
  }

  /** The classes {@code loader} has defined so far, by name; none is loaded by asking. */
  private Map<String, Class<?>> definedBy(ClassLoader loader) {
    Map<String, Class<?>> out = new java.util.HashMap<>();
    for (Class<?> c : instrumentation.getInitiatedClasses(loader)) {
      if (c.getClassLoader() == loader) {
        out.put(c.getName(), c);
      }
    }
    return out;
  }

  /** A state action that failed: names the action and the field. */
  static final class StateActionException extends ReflectiveOperationException {
    private static final long serialVersionUID = 1L;

    StateActionException(StateAction action, Throwable cause) {
      super(
          action.kind().name().toLowerCase()
              + " of "
              + action.owner()
              + "."
              + action.field()
              + " failed: "
              + cause,
          cause);
    }
  }

  private void run(
      StateAction action,
      Field field,
      ClassLoader loader,
      List<Restore> restores,
      List<String> warnings,
      List<String> notInForce,
      Map<Class<?>, Optional<Set<String>>> readers)
      throws ReflectiveOperationException {
    switch (action.kind()) {
      case CLEAR -> restores.add(clear(field));
      case ASSIGN -> restores.add(assign(field, newValue(action, loader)));
      case MERGE -> {
        Object current = field.get(null);
        Field cell = cell(action, loader);
        Object fresh = cell.get(null);
        Restore restore = merge(current, fresh);
        if (restore == null && sameValue(current, fresh)) {
          // nothing to carry over: every reader sees what the fixed release computes here
        } else if (restore == null
            && isJdkValue(current)
            && readableOutside(field)
            && !FieldReaders.mayBeRead(field, instrumentation, readers)) {
          warnings.add(
              action.owner()
                  + "."
                  + action.field()
                  + ": the new value could not be merged into the object it holds ("
                  + describe(current)
                  + "); the field is "
                  + (Modifier.isPublic(field.getModifiers()) ? "public" : "protected")
                  + ", but no class its loader can load reads it (reflection aside): the update's"
                  + " code reads the new value");
        } else if (restore == null && isJdkValue(current) && readableOutside(field)) {
          notInForce.add(
              "static field "
                  + action.owner()
                  + "."
                  + action.field()
                  + ": the fixed release's value could not be merged into the object it holds ("
                  + describe(current)
                  + "), and code outside the release can read the "
                  + (Modifier.isPublic(field.getModifiers()) ? "public" : "protected")
                  + " field: the update's code reads the new value, such code (the program's own"
                  + " included) keeps the old one");
        } else if (restore == null) {
          warnings.add(
              action.owner()
                  + "."
                  + action.field()
                  + ": the new value could not be merged"
                  + " into the object the program holds ("
                  + describe(current)
                  + "); patched code uses"
                  + " the new value, other holders of the old object keep the old one");
        } else {
          restores.add(restore);
          restores.add(shareMerged(cell, current, fresh));
        }
      }
    }
  }

  /**
   * Whether an object that cannot take the new value already is it: equal by {@code equals} (a
   * string, a boxed number, a locale computed another way), or two patterns of the same expression
   * and flags ({@code Pattern} keeps identity's {@code equals}).
   */
  static boolean sameValue(Object current, Object fresh) {
    if (current == null || fresh == null) {
      return current == fresh;
    }
    if (current instanceof java.util.regex.Pattern p
        && fresh instanceof java.util.regex.Pattern q) {
      return p.pattern().equals(q.pattern()) && p.flags() == q.flags();
    }
    return current.getClass() == fresh.getClass() && current.equals(fresh);
  }

  /**
   * Whether {@code value} is an object of the JDK (not an array, not null), whose behaviour the
   * update cannot change: a reader outside the release keeps what it does. An object of the library
   * that could not take the new value (another class, a field the JVM cannot set) runs the
   * library's code, which the update replaces; a null field is what the old release left there.
   * Both stay warnings.
   */
  static boolean isJdkValue(Object value) {
    return value != null && !value.getClass().isArray() && isJdk(value.getClass());
  }

  /**
   * Whether code other than the release's can read the field: a public field of a public class, or
   * a protected one of a public class that can be extended. The release's own readers are the
   * update's code, which reads the new value.
   */
  static boolean readableOutside(Field field) {
    for (Class<?> c = field.getDeclaringClass(); c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    int modifiers = field.getModifiers();
    return Modifier.isPublic(modifiers)
        || (Modifier.isProtected(modifiers)
            && !Modifier.isFinal(field.getDeclaringClass().getModifiers()));
  }

  private static Object newValue(StateAction action, ClassLoader loader)
      throws ReflectiveOperationException {
    return cell(action, loader).get(null);
  }

  /** The companion's field holding the new value; reading it runs the companion's initializer. */
  private static Field cell(StateAction action, ClassLoader loader)
      throws ReflectiveOperationException {
    Class<?> companion = Class.forName(action.source(), true, loader);
    Field source = companion.getDeclaredField(action.field());
    source.setAccessible(true);
    return source;
  }

  /**
   * Once the object the old field holds has taken the new value, the patched code's cell is pointed
   * at it: patched code, unpatched code and code compiled against the fixed release then read one
   * object, as they did before the update (identity checks, locks, caches keyed by it). A final
   * cell (updates built before cells became assignable) keeps the separate new object.
   */
  private static Restore shareMerged(Field cell, Object merged, Object fresh)
      throws IllegalAccessException {
    if (merged == fresh || Modifier.isFinal(cell.getModifiers())) {
      return () -> {};
    }
    cell.set(null, merged);
    return () -> cell.set(null, fresh);
  }

  private static Restore clear(Field field) throws IllegalAccessException {
    Object cache = field.get(null);
    Runnable clear =
        () -> {
          if (cache instanceof Map<?, ?> map) {
            map.clear();
          } else if (cache instanceof Collection<?> collection) {
            collection.clear();
          }
        };
    clear.run();
    return clear::run; // undo drops what the fixed code cached, too
  }

  private static Restore assign(Field field, Object value) throws IllegalAccessException {
    if (Modifier.isFinal(field.getModifiers())) {
      throw new IllegalAccessException("cannot assign the final field " + field);
    }
    Object old = field.get(null);
    field.set(null, value);
    return () -> field.set(null, old);
  }

  /** May return null: cannot merge. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Restore merge(Object current, Object fresh) throws ReflectiveOperationException {
    if (current == null || fresh == null) {
      return null;
    }
    if (current == fresh) {
      return () -> {};
    }
    try {
      if (current instanceof Set && fresh instanceof Collection) {
        Set target = (Set) mutable(current);
        List<Object> before = new ArrayList<>(target);
        target.addAll((Collection) fresh);
        target.retainAll(new java.util.HashSet<>((Collection) fresh));
        return () -> {
          target.addAll(before);
          target.retainAll(new java.util.HashSet<>(before));
        };
      }
      if (current instanceof List && fresh instanceof Collection) {
        List target = (List) mutable(current);
        List<Object> before = new ArrayList<>(target);
        if (!target.equals(new ArrayList<>((Collection) fresh))) {
          target.clear();
          target.addAll((Collection) fresh);
        }
        return () -> {
          target.clear();
          target.addAll(before);
        };
      }
      if (current instanceof Map && fresh instanceof Map) {
        Map target = (Map) mutable(current);
        Map<Object, Object> before = new LinkedHashMap<>(target);
        target.putAll((Map) fresh);
        target.keySet().retainAll(((Map) fresh).keySet());
        return () -> {
          target.putAll(before);
          target.keySet().retainAll(before.keySet());
        };
      }
    } catch (UnsupportedOperationException immutable) {
      return null;
    }
    if (current.getClass().isArray()) {
      if (current.getClass() != fresh.getClass()
          || Array.getLength(current) != Array.getLength(fresh)) {
        return null;
      }
      Object before = cloneArray(current);
      System.arraycopy(fresh, 0, current, 0, Array.getLength(fresh));
      return () -> System.arraycopy(before, 0, current, 0, Array.getLength(before));
    }
    if (current.getClass() == fresh.getClass() && !isJdk(current.getClass())) {
      return copyFields(current, fresh);
    }
    return null;
  }

  private static Restore copyFields(Object current, Object fresh) throws IllegalAccessException {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = current.getClass(); c != null && !isJdk(c); c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          fields.add(f);
        }
      }
    }
    List<Object> before = new ArrayList<>();
    for (Field f : fields) {
      before.add(f.get(current));
    }
    for (Field f : fields) {
      f.set(current, f.get(fresh));
    }
    return () -> {
      for (int i = 0; i < fields.size(); i++) {
        fields.get(i).set(current, before.get(i));
      }
    };
  }

  /** Looks through Collections.unmodifiable*, synchronized* and checked* wrappers. */
  private static Object mutable(Object value) throws ReflectiveOperationException {
    Object current = value;
    for (int depth = 0; depth < 4; depth++) {
      String name = current.getClass().getName();
      if (!name.startsWith("java.util.Collections$")) {
        return current;
      }
      Field inner = innerField(current.getClass());
      if (inner == null) {
        return current;
      }
      inner.setAccessible(true);
      current = inner.get(current);
    }
    return current;
  }

  private static Field innerField(Class<?> wrapper) {
    for (Class<?> c = wrapper; c != null; c = c.getSuperclass()) {
      for (String name : new String[] {"c", "m", "s", "list"}) {
        try {
          return c.getDeclaredField(name);
        } catch (NoSuchFieldException next) {
          // try the next name, then the superclass
        }
      }
    }
    return null;
  }

  private void openJavaUtil() {
    Module javaBase = Object.class.getModule();
    Module ours = StateTransfer.class.getModule();
    if (!javaBase.isOpen("java.util", ours)) {
      instrumentation.redefineModule(
          javaBase, Set.of(), Map.of(), Map.of("java.util", Set.of(ours)), Set.of(), Map.of());
    }
  }

  private static boolean isJdk(Class<?> c) {
    ClassLoader loader = c.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }

  private static Object cloneArray(Object array) {
    int length = Array.getLength(array);
    Object copy = Array.newInstance(array.getClass().getComponentType(), length);
    System.arraycopy(array, 0, copy, 0, length);
    return copy;
  }

  private static String describe(Object value) {
    return value == null ? "null" : "a " + value.getClass().getName();
  }
}
