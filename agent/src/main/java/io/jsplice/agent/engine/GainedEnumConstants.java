package io.jsplice.agent.engine;

import io.jsplice.agent.heap.Heap;
import io.jsplice.agent.heap.HeapUnavailableException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the program built, before an update, for the constants an enum had then, when the update
 * adds constants to it: anywhere outside the update, in every class loader, an added constant the
 * fixed code hands out may reach it.
 *
 * <ul>
 *   <li>javac's switch maps ({@code static final int[] $SwitchMap$pkg$E} of a synthetic class
 *       {@code Outer$1}, sized {@code E.values().length} when that class initialized, indexed by
 *       {@code ordinal()}): an added constant's ordinal is past the end, and the program's switch
 *       throws {@code ArrayIndexOutOfBoundsException}. Each is replaced by a copy as long as the
 *       enum's constants now are, the new slots 0: the added constants take the switch's default
 *       branch, exactly what the program, compiled against the old enum, does with the fixed
 *       release from its start. The field is final, so compiled code may hold the old array as a
 *       constant: the classes of the map's nest (those that switch through it) are retransformed
 *       unchanged, which drops their compiled code. An undo leaves the longer map (added constants
 *       handed out stay objects of the enum, and take the default branch). The same for the Eclipse
 *       compiler's {@code static volatile int[] $SWITCH_TABLE$pkg$E} (in the class that switches,
 *       filled at its first switch; not final, so no compiled code keeps it) and Kotlin's {@code
 *       static final int[] $EnumSwitchMapping$N} of a synthetic class {@code Outer$WhenMappings},
 *       whose name does not say the enum: one as long as a grown enum's constants were is
 *       lengthened (another enum's map of that length keeps its meaning, its switches never index
 *       the added slots).
 *   <li>{@code EnumSet}s of the enum: their universe (the constants by ordinal) lacks the added
 *       ones, so iterating over a set an added one was put in throws. The universe is replaced by
 *       the enum's constants now (the bits the set holds keep their meaning), when the set's bits
 *       have room for the added ordinals; otherwise the set is named as not in force.
 *   <li>{@code EnumMap}s of the enum: {@code put} or {@code get} of an added constant throws. They
 *       are not extended (that copies its values, and a program thread may be writing to it), so
 *       they are named as not in force: the apply is refused unless accepted.
 * </ul>
 *
 * And the tables of switches javac compiles for JDK 25 to {@code SwitchBootstraps.enumSwitch}
 * ({@link #bootstrapSwitches}). Not seen: arrays of {@code values()} the program keeps itself.
 */
final class GainedEnumConstants {
  private static final String JAVAC = "$SwitchMap$";
  private static final String ECLIPSE = "$SWITCH_TABLE$";
  private static final String KOTLIN = "$EnumSwitchMapping$";
  private static final String KOTLIN_HOLDER = "$WhenMappings";

  /** What the program's structures of enums that gained constants became. */
  record Result(List<String> extended, List<String> notInForce) {}

  private final Instrumentation instrumentation;
  private final ClassInitialization initialization;
  private final Supplier<Heap> heap;
  private final Consumer<String> log;
  private Object unsafe;
  private Method staticFieldBase;
  private Method staticFieldOffset;
  private Method getReference;
  private Method putReference;
  private Field elementType;
  private Field universe;
  private Field jumboElements;
  private Field keyType;
  private Field keyUniverse;
  private boolean unavailable;

  GainedEnumConstants(
      Instrumentation instrumentation,
      ClassInitialization initialization,
      Supplier<Heap> heap,
      Consumer<String> log) {
    this.instrumentation = instrumentation;
    this.initialization = initialization;
    this.heap = heap;
    this.log = log;
  }

  /**
   * Before the switch: how many constants each initialized enum among {@code classes} has (an enum
   * not initialized has no constants yet, and nothing was built for them).
   */
  Map<Class<?>, Integer> countBefore(Collection<Class<?>> classes) {
    Map<Class<?>, Integer> counts = new HashMap<>();
    for (Class<?> c : classes) {
      if (c.isEnum() && initialization.isInitialized(c)) {
        try {
          Object[] constants = c.getEnumConstants();
          if (constants != null) {
            counts.put(c, constants.length);
          }
        } catch (RuntimeException | LinkageError e) {
          // Its values() fails: nothing the program built can count on it either.
        }
      }
    }
    return counts;
  }

  /** After the switch: extends or names what was built for fewer constants than each enum has. */
  Result afterSwitch(Map<Class<?>, Integer> before) {
    Map<Class<?>, Object[]> grown = new LinkedHashMap<>();
    for (Map.Entry<Class<?>, Integer> e : before.entrySet()) {
      try {
        Object[] now = e.getKey().getEnumConstants();
        if (now != null && now.length > e.getValue()) {
          grown.put(e.getKey(), now);
        }
      } catch (RuntimeException | LinkageError ignored) {
        // values() of the fixed release fails: the switch reads it back as not in force elsewhere.
      }
    }
    if (grown.isEmpty()) {
      return new Result(List.of(), List.of());
    }
    List<String> extended = new ArrayList<>();
    List<String> notInForce = new ArrayList<>();
    if (!reachable()) {
      grown
          .keySet()
          .forEach(
              e ->
                  notInForce.add(
                      "switches, EnumSets and EnumMaps of "
                          + e.getName()
                          + " built for its constants before the update cannot be looked for"
                          + " here (the JDK's internals are not reachable); an added constant"
                          + " reaching one may throw"));
      return new Result(extended, notInForce);
    }
    switchMaps(grown, before, extended, notInForce);
    setsAndMaps(grown, before, extended, notInForce);
    bootstrapSwitches(grown, before, extended, notInForce);
    return new Result(extended, notInForce);
  }

  private void switchMaps(
      Map<Class<?>, Object[]> grown,
      Map<Class<?>, Integer> before,
      List<String> extended,
      List<String> notInForce) {
    Map<String, List<Class<?>>> byField = new HashMap<>();
    Set<ClassLoader> enumLoaders = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    boolean bootEnum = false;
    for (Class<?> e : grown.keySet()) {
      String suffix = e.getName().replace('.', '$');
      byField.computeIfAbsent(JAVAC + suffix, k -> new ArrayList<>()).add(e);
      byField.computeIfAbsent(ECLIPSE + suffix, k -> new ArrayList<>()).add(e);
      if (e.getClassLoader() == null) {
        bootEnum = true;
      } else {
        enumLoaders.add(e.getClassLoader());
      }
    }
    Set<Class<?>> holders = new LinkedHashSet<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.isHidden() || c.isArray() || c.isInterface()) {
        continue;
      }
      // javac's and Kotlin's maps are in synthetic classes; Eclipse's in the class that switches,
      // which can see the enum: its loader is the enum's or delegates to it.
      if (!c.isSynthetic() && !bootEnum && !delegatesToAny(c.getClassLoader(), enumLoaders)) {
        continue;
      }
      Field[] fields;
      try {
        fields = c.getDeclaredFields();
      } catch (RuntimeException | LinkageError e) {
        continue;
      }
      for (Field f : fields) {
        if (!Modifier.isStatic(f.getModifiers())
            || f.getType() != int[].class
            || !initialization.isInitialized(c)) {
          // A map whose class has not initialized is sized when it does, by the enum as it is then.
          continue;
        }
        String name = f.getName();
        Class<?> e;
        int now;
        if (name.startsWith(KOTLIN) && c.isSynthetic()) {
          // Kotlin's name does not say the enum: a map as long as a grown enum's constants were is
          // taken as one of it. Lengthening another enum's map of that length changes nothing: its
          // switches never index the added slots.
          e = null;
          now = 0;
          for (Map.Entry<Class<?>, Object[]> g : grown.entrySet()) {
            if (g.getValue().length > now) {
              e = g.getKey();
              now = g.getValue().length;
            }
          }
        } else {
          List<Class<?>> enums = byField.get(name);
          if (enums == null || (name.startsWith(JAVAC) && !c.isSynthetic())) {
            continue;
          }
          e = resolvedFrom(c, enums);
          now = e == null ? 0 : grown.get(e).length;
        }
        if (e == null) {
          continue;
        }
        String where = c.getName() + "." + name + " (" + ClassOrigin.describe(c) + ")";
        try {
          Object base = staticFieldBase.invoke(unsafe, f);
          long offset = (long) staticFieldOffset.invoke(unsafe, f);
          int[] map = (int[]) getReference.invoke(unsafe, base, offset);
          if (map == null
              || map.length >= now
              || (name.startsWith(KOTLIN) && !before.containsValue(map.length))) {
            continue;
          }
          putReference.invoke(unsafe, base, offset, Arrays.copyOf(map, now));
          if (Modifier.isFinal(f.getModifiers())) {
            holders.add(c);
          }
          extended.add(
              "switch map "
                  + where
                  + " extended from "
                  + map.length
                  + " to "
                  + now
                  + " constants"
                  + (name.startsWith(KOTLIN) ? "" : " of " + e.getName())
                  + ": the added ones take its switches' default branch");
        } catch (ReflectiveOperationException | RuntimeException err) {
          notInForce.add(
              "switch map "
                  + where
                  + " has no slot for the constants the update adds to "
                  + e.getName()
                  + " and could not be extended ("
                  + err
                  + "): a switch that meets one throws ArrayIndexOutOfBoundsException");
        }
      }
    }
    dropCompiledCode(holders, notInForce);
  }

  /** Whether {@code loader} is one of {@code loaders} or delegates to one of them. */
  private static boolean delegatesToAny(ClassLoader loader, Set<ClassLoader> loaders) {
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (loaders.contains(l)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Switches javac compiles for JDK 25 to {@code SwitchBootstraps.enumSwitch} (a {@code case null}
   * or a pattern; for JDK 21 it compiles them to {@code typeSwitch}, which compares constants and
   * keeps no table): on JDK 23+ such a call site keeps, filled at its first call, the case of each
   * constant by ordinal ({@code MappedEnumCache.constantsMap}), with no slot for an added constant.
   * Each one too short, of a site whose handle binds the enum, is emptied so that its next call
   * fills it again from the enum's constants now (the added ones get the default case), and the
   * class of the call site (its lookup's class) is retransformed unchanged so that no compiled code
   * keeps the old table (a stable field). One not tied to an enum this way, as long as the
   * constants an enum had before the update, is named as not in force.
   */
  private void bootstrapSwitches(
      Map<Class<?>, Object[]> grown,
      Map<Class<?>, Integer> before,
      List<String> extended,
      List<String> notInForce) {
    Class<?> cacheType;
    try {
      cacheType = Class.forName("java.lang.runtime.SwitchBootstraps$MappedEnumCache");
    } catch (ClassNotFoundException | LinkageError e) {
      return; // a JDK without such tables (17)
    }
    int most = grown.values().stream().mapToInt(a -> a.length).max().orElse(0);
    try {
      Field table = accessible(cacheType, "constantsMap");
      Map<Object, int[]> tooShort = new IdentityHashMap<>();
      // Every table, garbage too (one emptied for nobody costs nothing): a call site's is reached
      // from its class's resolved constants, which a walk from the roots may not follow.
      List<Object> caches = heap.get().instancesOf(List.of(cacheType));
      for (Object cache : caches) {
        int[] t = (int[]) table.get(cache);
        if (t != null && t.length < most) {
          tooShort.put(cache, t);
        }
      }
      if (tooShort.isEmpty()) {
        return;
      }
      Class<?> bound = Class.forName("java.lang.invoke.BoundMethodHandle");
      Map<Class<?>, List<Field>> species = new LinkedHashMap<>();
      for (Class<?> c : instrumentation.getAllLoadedClasses()) {
        if (bound.isAssignableFrom(c) && c != bound && !Modifier.isAbstract(c.getModifiers())) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> k = c; k != bound; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                fields.add(f);
              }
            }
          }
          species.put(c, fields);
        }
      }
      Set<Object> emptied = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      Set<Class<?>> callers = new LinkedHashSet<>();
      for (Object handle : heap.get().instancesOf(List.copyOf(species.keySet()))) {
        Object cache = null;
        Class<?> enumClass = null;
        java.lang.invoke.MethodHandles.Lookup lookup = null;
        for (Field f : species.getOrDefault(handle.getClass(), List.of())) {
          Object v = f.get(handle);
          if (v != null && tooShort.containsKey(v)) {
            cache = v;
          } else if (v instanceof Class<?> k && grown.containsKey(k)) {
            enumClass = k;
          } else if (v instanceof java.lang.invoke.MethodHandles.Lookup l) {
            lookup = l;
          }
        }
        if (cache == null
            || enumClass == null
            || lookup == null
            || emptied.contains(cache)
            || tooShort.get(cache).length >= grown.get(enumClass).length) {
          continue;
        }
        table.set(cache, null);
        emptied.add(cache);
        Class<?> caller = lookup.lookupClass();
        callers.add(caller);
        extended.add(
            "switch on "
                + enumClass.getName()
                + " in "
                + caller.getName()
                + " ("
                + ClassOrigin.describe(caller)
                + ", SwitchBootstraps.enumSwitch): its table of "
                + tooShort.get(cache).length
                + " constants is filled again at its next call, the added ones take its default"
                + " case");
      }
      int unknown = 0;
      for (Map.Entry<Object, int[]> e : tooShort.entrySet()) {
        if (!emptied.contains(e.getKey()) && before.containsValue(e.getValue().length)) {
          unknown++;
        }
      }
      if (unknown > 0) {
        notInForce.add(
            unknown
                + " switch(es) compiled to SwitchBootstraps.enumSwitch keep a table as long as the"
                + " constants of "
                + grown.keySet().stream().map(Class::getName).toList()
                + " before the update and could not be tied to their enum: if one is on it, an"
                + " added constant reaching it throws ArrayIndexOutOfBoundsException");
      }
      dropCompiledCode(callers, notInForce);
    } catch (HeapUnavailableException | ReflectiveOperationException | RuntimeException e) {
      notInForce.add(
          "switches compiled to SwitchBootstraps.enumSwitch on "
              + grown.keySet().stream().map(Class::getName).toList()
              + " could not be looked for ("
              + e
              + "); one an added constant reaches may throw ArrayIndexOutOfBoundsException");
    }
  }

  /** The enum among {@code enums} that {@code holder}'s loader resolves its name to, or null. */
  private static Class<?> resolvedFrom(Class<?> holder, List<Class<?>> enums) {
    try {
      Class<?> seen = Class.forName(enums.get(0).getName(), false, holder.getClassLoader());
      return enums.contains(seen) ? seen : null;
    } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Retransforms, unchanged, the loaded classes of each map's nest (the outermost class and the
   * classes nested in it, which javac's switches through that map are in; for Kotlin's {@code
   * Outer$WhenMappings}, {@code Outer} and its nested classes): the JVM drops their compiled code,
   * which may hold the old map, a final field, as a constant. Eclipse's maps are not final.
   */
  private void dropCompiledCode(Set<Class<?>> holders, List<String> notInForce) {
    if (holders.isEmpty()) {
      return;
    }
    Map<ClassLoader, Set<String>> hosts = new IdentityHashMap<>();
    Set<String> bootHosts = new LinkedHashSet<>();
    for (Class<?> h : holders) {
      String host = h.getNestHost().getName();
      if (host.equals(h.getName()) && host.endsWith(KOTLIN_HOLDER)) {
        // Kotlin writes no nest: its maps are read by the class named before the suffix.
        host = host.substring(0, host.length() - KOTLIN_HOLDER.length());
      }
      (h.getClassLoader() == null
              ? bootHosts
              : hosts.computeIfAbsent(h.getClassLoader(), l -> new LinkedHashSet<>()))
          .add(host);
    }
    List<Class<?>> nest = new ArrayList<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.isHidden() || c.isArray() || !instrumentation.isModifiableClass(c)) {
        continue;
      }
      Set<String> names = c.getClassLoader() == null ? bootHosts : hosts.get(c.getClassLoader());
      if (names == null) {
        continue;
      }
      String name = c.getName();
      int dollar = name.indexOf('$');
      for (String host : names) {
        if (name.equals(host) || (dollar > 0 && name.startsWith(host + "$"))) {
          nest.add(c);
          break;
        }
      }
    }
    try {
      instrumentation.retransformClasses(nest.toArray(Class<?>[]::new));
    } catch (Throwable t) {
      notInForce.add(
          "switch maps of "
              + holders.stream().map(Class::getName).toList()
              + " were extended, but the compiled code of the classes that switch through them"
              + " could not be dropped ("
              + t
              + "): compiled code may still use the old maps and throw");
    }
  }

  private void setsAndMaps(
      Map<Class<?>, Object[]> grown,
      Map<Class<?>, Integer> before,
      List<String> extended,
      List<String> notInForce) {
    List<Object> found;
    Class<?> jumbo;
    try {
      Class<?> regular = Class.forName("java.util.RegularEnumSet");
      jumbo = Class.forName("java.util.JumboEnumSet");
      found = heap.get().reachableInstancesOf(List.of(EnumMap.class, regular, jumbo));
    } catch (HeapUnavailableException | ClassNotFoundException | RuntimeException e) {
      grown
          .keySet()
          .forEach(
              g ->
                  notInForce.add(
                      "EnumSets and EnumMaps of "
                          + g.getName()
                          + " built before the update cannot be looked for here ("
                          + e.getMessage()
                          + "); one an added constant reaches may throw"));
      return;
    }
    Map<Class<?>, int[]> setsExtended = new LinkedHashMap<>();
    Map<String, int[]> setsTooSmall = new LinkedHashMap<>();
    Map<Class<?>, int[]> maps = new LinkedHashMap<>();
    try {
      for (Object o : found) {
        if (o instanceof EnumMap<?, ?>) {
          Class<?> e = (Class<?>) keyType.get(o);
          Object[] keys = (Object[]) keyUniverse.get(o);
          if (grown.containsKey(e) && keys.length < grown.get(e).length) {
            maps.computeIfAbsent(e, k -> new int[1])[0]++;
          }
          continue;
        }
        Class<?> e = (Class<?>) elementType.get(o);
        Object[] now = grown.get(e);
        if (now == null || ((Object[]) universe.get(o)).length >= now.length) {
          continue;
        }
        boolean room =
            o.getClass() == jumbo
                ? ((long[]) jumboElements.get(o)).length >= (now.length + 63) >>> 6
                : now.length <= 64;
        if (room) {
          universe.set(o, now);
          setsExtended.computeIfAbsent(e, k -> new int[1])[0]++;
        } else {
          setsTooSmall.computeIfAbsent(e.getName(), k -> new int[1])[0]++;
        }
      }
    } catch (IllegalAccessException | RuntimeException e) {
      notInForce.add(
          "EnumSets and EnumMaps of "
              + grown.keySet().stream().map(Class::getName).toList()
              + " built before the update could not be read ("
              + e
              + "); one an added constant reaches may throw");
      return;
    }
    setsExtended.forEach(
        (e, n) ->
            extended.add(
                n[0]
                    + " EnumSet(s) of "
                    + e.getName()
                    + " built before the update now list its "
                    + grown.get(e).length
                    + " constants (the added ones can be put in them)"));
    setsTooSmall.forEach(
        (e, n) ->
            notInForce.add(
                "objects of java.util.EnumSet of "
                    + e
                    + ": "
                    + n[0]
                    + " built before the update have no room for the added constants (more than"
                    + " 64 now): one an added constant is put in misbehaves"));
    maps.forEach(
        (e, n) ->
            notInForce.add(
                "objects of java.util.EnumMap keyed by "
                    + e.getName()
                    + ": "
                    + n[0]
                    + " built before the update for its "
                    + before.get(e)
                    + " constants; put or get of an added constant throws"
                    + " ArrayIndexOutOfBoundsException (not extended: a program thread may be"
                    + " writing to one)"));
  }

  private synchronized boolean reachable() {
    if (unsafe != null || unavailable) {
      return !unavailable;
    }
    try {
      Module javaBase = Object.class.getModule();
      Module ours = GainedEnumConstants.class.getModule();
      if (!javaBase.isExported("jdk.internal.misc", ours)
          || !javaBase.isOpen("java.util", ours)
          || !javaBase.isOpen("java.lang.invoke", ours)
          || !javaBase.isOpen("java.lang.runtime", ours)) {
        instrumentation.redefineModule(
            javaBase,
            Set.of(),
            Map.of("jdk.internal.misc", Set.of(ours)),
            Map.of(
                "java.util",
                Set.of(ours),
                "java.lang.invoke",
                Set.of(ours),
                "java.lang.runtime",
                Set.of(ours)),
            Set.of(),
            Map.of());
      }
      Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
      Object u = type.getMethod("getUnsafe").invoke(null);
      staticFieldBase = type.getMethod("staticFieldBase", Field.class);
      staticFieldOffset = type.getMethod("staticFieldOffset", Field.class);
      getReference = type.getMethod("getReferenceVolatile", Object.class, long.class);
      putReference = type.getMethod("putReferenceVolatile", Object.class, long.class, Object.class);
      Class<?> enumSet = Class.forName("java.util.EnumSet");
      elementType = accessible(enumSet, "elementType");
      universe = accessible(enumSet, "universe");
      jumboElements = accessible(Class.forName("java.util.JumboEnumSet"), "elements");
      keyType = accessible(EnumMap.class, "keyType");
      keyUniverse = accessible(EnumMap.class, "keyUniverse");
      unsafe = u;
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      unavailable = true;
      log.accept("warning: the JDK's switch maps, EnumSets and EnumMaps cannot be reached: " + e);
      return false;
    }
  }

  private static Field accessible(Class<?> c, String name) throws NoSuchFieldException {
    Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
