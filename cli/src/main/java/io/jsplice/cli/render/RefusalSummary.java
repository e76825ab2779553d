package io.jsplice.cli.render;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Update;
import io.jsplice.model.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The first screen of a report on an update that is not plainly live: one line with the verdict and
 * what blocks it, counted by cause, then at most a dozen lines naming the classes (the patched
 * class, never a generated companion) with their first reason. The full detail stays in {@code
 * inspect} and {@code --json}.
 */
public final class RefusalSummary {
  /** The lines naming classes, at most. */
  static final int MAX_CLASSES = 12;

  /** Why a class cannot be applied live, as an operator would group it. */
  enum Cause {
    HIERARCHY(
        "changed superclass or interfaces", "changes its superclass", "changes the interfaces"),
    CLASS_KIND("class turned interface, enum or back", "a loaded class's kind cannot change"),
    FINAL_SUPERCLASS(
        "subclass of a class final in the running JVM",
        "which is final in the running JVM",
        "jsplice builds its objects as"),
    SUPERTYPE_KIND(
        "supertype is a class where an interface is expected, or the reverse",
        "which is an interface in the running JVM",
        "which is a class in the running JVM"),
    ENUM_CONSTANTS("added enum constants", "adds enum constants"),
    RECORD("changed record components", "changes its record components"),
    FIELD_TYPE("changed field type", "changes type from"),
    SERIALIZATION("added serialization method", "Java serialization finds by reflection"),
    ABSTRACT_METHOD("added abstract method", "adds an abstract method"),
    OVERRIDE("override of a method jsplice cannot patch", "which overrides"),
    CONSTRUCTOR(
        "added constructor out of reach",
        "adds the constructor",
        "cannot be rebuilt as a factory",
        "before its super call",
        "private constructor of"),
    NATIVE("added native method", "adds the native method"),
    PRIVATE_ACCESS("private member out of reach", "would refer to the private member"),
    MISSING("uses what the running JVM will not have", "which the running JVM will not have"),
    STATE("state that needs a hook", "a hook must", "hook"),
    OTHER("other");

    final String description;
    private final String[] phrases;

    Cause(String description, String... phrases) {
      this.description = description;
      this.phrases = phrases;
    }

    /** The cause a planner note states; null if the note states none. */
    static Cause of(String note) {
      for (Cause c : values()) {
        for (String phrase : c.phrases) {
          if (note.contains(phrase)) {
            return c;
          }
        }
      }
      return null;
    }
  }

  private RefusalSummary() {}

  /** The host of a companion ({@code Foo$$jsplice$ID}); the name itself otherwise. */
  static String patchedClass(String name) {
    int at = name.indexOf("$$jsplice$");
    return at < 0 ? name : name.substring(0, at);
  }

  /** Whether the update needs the summary: it is not live, or part of it needs a hook. */
  public static boolean applies(Update update) {
    return update.applicability().verdict() != Verdict.LIVE;
  }

  /** What blocks the update, by cause, most frequent first: cause to number of classes. */
  public static Map<String, Integer> causes(Update update) {
    Map<String, Integer> out = new LinkedHashMap<>();
    tally(update).counts.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
        .forEach(e -> out.put(e.getKey().description, e.getValue()));
    return out;
  }

  /** The blocked classes' first reasons, and the count of classes per cause. */
  private record Tally(Map<Cause, Integer> counts, Map<String, String> reasons, Verdict blocking) {}

  private static Tally tally(Update update) {
    Verdict verdict = update.applicability().verdict();
    Verdict blocking = verdict == Verdict.NOT_LIVE ? Verdict.NOT_LIVE : Verdict.LIVE_NEEDS_HOOK;
    Map<String, List<String>> blocked = new LinkedHashMap<>(); // patched class -> its notes
    for (ClassUpdate c : update.classes()) {
      if (c.applicability().verdict() == blocking) {
        blocked
            .computeIfAbsent(patchedClass(c.name()), k -> new ArrayList<>())
            .addAll(c.applicability().notes());
      }
    }
    Map<Cause, Integer> counts = new EnumMap<>(Cause.class);
    Map<String, String> reasons = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : blocked.entrySet()) {
      Cause first = null;
      String reason = null;
      java.util.Set<Cause> seen = java.util.EnumSet.noneOf(Cause.class);
      for (String note : e.getValue()) {
        Cause cause = Cause.of(note);
        if (cause == null || (blocking == Verdict.NOT_LIVE && cause == Cause.STATE)) {
          continue;
        }
        seen.add(cause);
        if (first == null) {
          first = cause;
          reason = note;
        }
      }
      if (first == null) {
        seen.add(Cause.OTHER);
        reason = e.getValue().isEmpty() ? Cause.OTHER.description : e.getValue().get(0);
        first = Cause.OTHER;
      }
      seen.forEach(c -> counts.merge(c, 1, Integer::sum));
      reasons.put(e.getKey(), first.description + ": " + shorten(reason, e.getKey()));
    }
    return new Tally(counts, reasons, blocking);
  }

  /**
   * Prints the verdict line and the classes that block it.
   *
   * @param more what to say after the listed classes when more exist (where the detail is)
   */
  public static void print(Update update, String more, PrintWriter out) {
    Tally tally = tally(update);
    Map<Cause, Integer> counts = tally.counts();
    Map<String, String> reasons = tally.reasons();
    Verdict blocking = tally.blocking();
    Verdict verdict = update.applicability().verdict();
    String causes =
        counts.entrySet().stream()
            .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
            .map(e -> e.getKey().description + " x" + e.getValue())
            .collect(Collectors.joining(", "));
    out.println(
        verdict.description()
            + ": "
            + reasons.size()
            + (reasons.size() == 1 ? " class " : " classes ")
            + (blocking == Verdict.NOT_LIVE ? "blocked" : "need a hook")
            + (causes.isEmpty() ? "" : " (" + causes + ")"));
    int shown = 0;
    for (Map.Entry<String, String> e : reasons.entrySet()) {
      if (shown++ == MAX_CLASSES) {
        out.println("  ... and " + (reasons.size() - MAX_CLASSES) + " more; " + more);
        break;
      }
      out.println("  " + e.getKey() + ": " + e.getValue());
    }
  }

  /** The reason without the class's own name leading it, cut to one screen line. */
  private static String shorten(String reason, String className) {
    String r = reason;
    if (r.startsWith(className)) {
      r = r.substring(className.length());
      r = r.startsWith(".") ? r.substring(1) : r.strip();
    }
    return r.length() <= 160 ? r : r.substring(0, 157) + "...";
  }
}
