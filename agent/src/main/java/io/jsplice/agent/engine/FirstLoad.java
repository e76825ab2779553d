package io.jsplice.agent.engine;

import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Update;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The classes an update installs only as they first load ({@link
 * io.jsplice.model.Mechanism#FIRST_LOAD}): their change (a new superclass, interfaces or kind) is
 * one no loaded class can take, so they are in force where no class loader has loaded them yet.
 * Apply refuses, naming it, a JVM where a loader has loaded one; the transformer installs the fixed
 * class as it loads, in every loader and after a restart; undo refuses once one has loaded with the
 * fixed code, which a loaded class cannot give back.
 */
final class FirstLoad {
  private FirstLoad() {}

  /**
   * Refuses the apply when a class loader has loaded, with other code than the update's, a class
   * the update installs at first load; returns {@code loaded} without those classes (the switch
   * leaves them alone). One that runs the update's code already loaded so during an apply that
   * failed after it (a class loads as the fixed code of others needs it, and keeps its shape).
   */
  static Map<String, List<Class<?>>> refuseLoaded(
      Update update,
      Map<String, List<Class<?>>> loaded,
      PatchedMarkers markers,
      Consumer<String> log)
      throws FailureException {
    List<String> found = new ArrayList<>();
    for (String name : update.firstLoad()) {
      for (Class<?> c : loaded.getOrDefault(name, List.of())) {
        if (update.id().equals(markers.updateOf(c))) {
          log.accept(
              name
                  + " ("
                  + ClassOrigin.describe(c)
                  + ") runs the code of "
                  + update.id()
                  + " already: it loaded so during an earlier apply that failed");
        } else {
          found.add(name + " (" + why(update, name) + ") is loaded in " + ClassOrigin.describe(c));
        }
      }
    }
    if (!found.isEmpty()) {
      throw new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          "cannot apply "
              + update.id()
              + "; no class was changed: "
              + String.join("; ", found)
              + ": a loaded class cannot take that change, which this update installs only as the"
              + " class first loads; it takes effect at a restart (with the update recorded, or on"
              + " the fixed release)");
    }
    Map<String, List<Class<?>>> out = new java.util.HashMap<>(loaded);
    for (String name : update.firstLoad()) { // no lambda spun in a first apply
      out.remove(name);
    }
    return out;
  }

  /**
   * Refuses, after the switch, when a class the update installs at first load loaded with its old
   * code before the update's code was in the table (the caller rolls back).
   */
  static void refuseLoadedOld(
      Update update, Instrumentation instrumentation, PatchedMarkers markers)
      throws FailureException {
    List<String> old = new ArrayList<>();
    for (Class<?> c : loaded(update, instrumentation)) {
      if (markers.updateOf(c) == null) {
        old.add(c.getName() + " in " + ClassOrigin.describe(c));
      }
    }
    if (!old.isEmpty()) {
      throw new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          "cannot apply "
              + update.id()
              + ": "
              + String.join(", ", old)
              + " loaded with its old code while the update was being applied, and a loaded class"
              + " cannot take its change; rolled back, no class was changed");
    }
  }

  /** One line per class installed at first load: whether a loader has loaded it yet. */
  static List<String> describe(Update update, Instrumentation instrumentation) {
    List<Class<?>> loaded = loaded(update, instrumentation);
    List<String> out = new ArrayList<>();
    for (String name : update.firstLoad()) {
      List<String> where =
          loaded.stream().filter(c -> c.getName().equals(name)).map(ClassOrigin::describe).toList();
      out.add(
          name
              + " ("
              + why(update, name)
              + ") is installed as it first loads: "
              + (where.isEmpty()
                  ? "no class loader has loaded it yet, each that loads it gets the fixed class"
                  : "loaded with the fixed code in " + String.join(", ", where))
              + "; undo refuses once a class loader has loaded it");
    }
    return out;
  }

  /**
   * Refuses the undo when a class the update installs at first load has loaded with the fixed code:
   * a loaded class cannot go back to its old superclass or interfaces, and undoing the rest would
   * leave code that no release has.
   */
  static void refuseUndo(Update update, Instrumentation instrumentation, PatchedMarkers markers)
      throws FailureException {
    List<String> fixed = new ArrayList<>();
    for (Class<?> c : loaded(update, instrumentation)) {
      if (markers.updateOf(c) != null) {
        fixed.add(
            c.getName() + " (" + why(update, c.getName()) + ") in " + ClassOrigin.describe(c));
      }
    }
    if (!fixed.isEmpty()) {
      throw new FailureException(
          FailureCause.UNSUPPORTED_CHANGE,
          "cannot undo "
              + update.id()
              + "; no class was changed: "
              + String.join("; ", fixed)
              + " loaded with the fixed code since the update was applied, and a loaded class"
              + " cannot return to its old shape; the update stays applied (a JVM started without"
              + " it runs the old code)");
    }
  }

  /** Logs the classes that loaded with the fixed code during an apply that failed: they keep it. */
  static void logKept(
      Update update,
      Instrumentation instrumentation,
      PatchedMarkers markers,
      Consumer<String> log) {
    for (Class<?> c : loaded(update, instrumentation)) {
      if (markers.updateOf(c) != null) {
        log.accept(
            "warning: "
                + c.getName()
                + " ("
                + ClassOrigin.describe(c)
                + ") loaded with the fixed code of "
                + update.id()
                + " while the failed apply was tried; a loaded class cannot take its old shape"
                + " back, so it keeps the fixed code until the JVM restarts");
      }
    }
  }

  private static List<Class<?>> loaded(Update update, Instrumentation instrumentation) {
    Set<String> names = new HashSet<>(update.firstLoad());
    List<Class<?>> out = new ArrayList<>();
    if (names.isEmpty()) {
      return out;
    }
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && !c.isHidden()) {
        out.add(c);
      }
    }
    return out;
  }

  private static String why(Update update, String name) {
    ClassUpdate c = update.classUpdate(name).orElse(null);
    List<String> parts = new ArrayList<>();
    if (c != null && c.has(ChangeKind.SUPERCLASS_CHANGED)) {
      parts.add("its superclass changes");
    }
    if (c != null && c.has(ChangeKind.INTERFACES_CHANGED)) {
      parts.add("its interfaces change");
    }
    if (parts.isEmpty()) {
      parts.add("its shape changes as no loaded class can");
    }
    return String.join(", ", parts);
  }
}
