package io.jsplice.agent.engine;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JVM's cache of an enum's constants, dropped after every switch of the enum, so that it is
 * asked of the enum's {@code values()} again. {@code java.lang.Class} keeps the array {@code
 * values()} returned the first time it was asked ({@code enumConstants}: what {@code EnumSet} and
 * {@code EnumMap} are sized by) and a map of them by name ({@code enumConstantDirectory}: what
 * {@code valueOf} looks in); an update that adds constants changes what {@code values()} returns
 * (it reads the array of the companion), an undo changes it back. Resetting an enum whose constants
 * did not change costs one call of {@code values()} the next time the JDK needs them.
 *
 * <p>The agent opens {@code java.lang} to its own module only. A thread that called {@code
 * values()} through the cache before the switch and stores its answer after the reset would put the
 * old array back; the reset is repeated until both fields are seen empty (the window left is such a
 * store landing after that). Where the fields cannot be reached (a JDK that names them otherwise),
 * the log says so and nothing else changes.
 */
final class EnumConstantCaches {
  private static final int ATTEMPTS = 3;

  private final Instrumentation instrumentation;
  private final Consumer<String> log;
  private Field constants;
  private Field directory;
  private boolean unavailable;

  EnumConstantCaches(Instrumentation instrumentation, Consumer<String> log) {
    this.instrumentation = instrumentation;
    this.log = log;
  }

  /** Drops the cache of every enum among {@code switched}; other classes are left alone. */
  void reset(Collection<Class<?>> switched) {
    for (Class<?> c : switched) {
      if (c.isEnum() && reachable()) {
        reset(c);
      }
    }
  }

  private void reset(Class<?> enumClass) {
    try {
      for (int i = 0; i < ATTEMPTS; i++) {
        directory.set(enumClass, null);
        constants.set(enumClass, null);
        if (directory.get(enumClass) == null && constants.get(enumClass) == null) {
          return;
        }
      }
      log.accept(
          "warning: the JVM's cache of the constants of "
              + enumClass.getName()
              + " was filled again during the switch; valueOf and new EnumSets may miss"
              + " constants until it is reset");
    } catch (IllegalAccessException e) {
      log.accept(
          "warning: could not reset the constants cache of " + enumClass.getName() + ": " + e);
    }
  }

  private synchronized boolean reachable() {
    if (constants != null || unavailable) {
      return !unavailable;
    }
    try {
      Module javaBase = Object.class.getModule();
      Module ours = EnumConstantCaches.class.getModule();
      if (!javaBase.isOpen("java.lang", ours)) {
        instrumentation.redefineModule(
            javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(ours)), Set.of(), Map.of());
      }
      Field d = Class.class.getDeclaredField("enumConstantDirectory");
      Field c = Class.class.getDeclaredField("enumConstants");
      d.setAccessible(true);
      c.setAccessible(true);
      directory = d;
      constants = c;
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      unavailable = true;
      log.accept(
          "warning: the JVM's cache of enum constants cannot be reset ("
              + e
              + "); valueOf and new EnumSets of an enum an update adds constants to miss them");
      return false;
    }
  }
}
