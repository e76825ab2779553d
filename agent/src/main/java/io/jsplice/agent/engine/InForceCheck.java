package io.jsplice.agent.engine;

import io.jsplice.model.InForce;
import io.jsplice.model.Update;
import io.jsplice.model.control.ClassesLeftOutException;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an apply puts the fix in force for all the state the program holds, and refuses
 * one that would not unless the operator accepted it: a security update is never reported applied
 * while existing state keeps the old behaviour.
 *
 * <p>Called twice: {@link #before} the switch with what the update's analysis names (static fields
 * it will not recompute, objects of classes it cannot look for), then {@link #after} it with the
 * objects found on the heap. A refusal before the switch changes nothing; one after it makes the
 * engine roll back.
 */
final class InForceCheck {
  private InForceCheck() {}

  /** How much is in force, and what is not, one line each. */
  record Outcome(InForce inForce, List<String> notInForce) {
    static final Outcome FULL = new Outcome(InForce.FULL, List.of());

    static Outcome of(List<String> notInForce) {
      return notInForce.isEmpty() ? FULL : new Outcome(InForce.PARTLY, List.copyOf(notInForce));
    }
  }

  /**
   * What the update says can stay old and this JVM holds, except objects that are yet to be looked
   * for.
   *
   * @param search what this JVM holds of it
   * @throws FailureException {@link FailureCause#PARTLY_IN_FORCE} unless accepted
   */
  static Outcome before(
      Update update, ExistingObjects.Search search, ApplyOptions options, Loaded loaded)
      throws FailureException {
    List<String> notInForce = new ArrayList<>();
    if (update.partlyInForce() && update.applicability().stale().isEmpty()) {
      notInForce.addAll(update.notInForce()); // an update from before the typed list: its notes
    }
    notInForce.addAll(search.staleHere());
    notInForce.addAll(search.cannotLook());
    return decide(update, notInForce, options, loaded);
  }

  /**
   * Adds the objects found after the switch that stay old.
   *
   * @param found one line per class with objects built before the update that keep the old state
   * @throws FailureException {@link FailureCause#PARTLY_IN_FORCE} unless accepted
   */
  static Outcome after(
      Update update, Outcome before, List<String> found, ApplyOptions options, Loaded loaded)
      throws FailureException {
    List<String> notInForce = new ArrayList<>(before.notInForce());
    notInForce.addAll(found);
    return decide(update, notInForce, options, loaded);
  }

  /** The classes loaded in this JVM under a name, in every loader. */
  interface Loaded {
    List<Class<?>> named(String name);
  }

  /**
   * Refuses an update that leaves out classes of the fixed release (a live subset) unless the
   * operator accepted it: jsplice cannot tell whether the fix is among them (a subset of
   * jackson-core 2.15.0 left out the class that holds the depth check), so it never reports such an
   * apply as a plain success.
   *
   * @param leftOut the update's notes that name a class left out, with why
   * @throws ClassesLeftOutException ({@link FailureCause#PARTLY_IN_FORCE}) unless accepted, naming
   *     the classes as such, so that a caller can tell it from state that stays old
   */
  static void refuseWhatIsLeftOut(String updateId, List<String> leftOut, ApplyOptions options)
      throws FailureException {
    if (leftOut.isEmpty() || options.acceptPartial() || options.acceptLeftOut()) {
      return;
    }
    throw new ClassesLeftOutException(
        "update "
            + updateId
            + " leaves out "
            + leftOut.size()
            + " class(es) of the fixed release, and the fix may be among them, so nothing was"
            + " changed: "
            + leftOut
                .get(0)
                .substring(
                    leftOut.get(0).startsWith(Update.LEFT_OUT) ? Update.LEFT_OUT.length() : 0)
            + (leftOut.size() == 1
                ? ""
                : "; and " + (leftOut.size() - 1) + " more, which --verbose and --json list")
            + " (pass --accept-partial to apply the rest, once the update's report shows the fix"
            + " is not among them)",
        leftOut.stream()
            .map(n -> n.startsWith(Update.LEFT_OUT) ? Update.leftOutClass(n) : n)
            .toList(),
        leftOut);
  }

  /** The same, for {@code update}'s notes; called first, before anything is looked for. */
  static void refuseWhatIsLeftOut(Update update, ApplyOptions options) throws FailureException {
    List<String> leftOut = new ArrayList<>();
    for (String note : update.applicability().notes()) { // no lambda spun in a first apply
      if (note.startsWith(Update.LEFT_OUT)) {
        leftOut.add(note);
      }
    }
    refuseWhatIsLeftOut(update.id(), List.copyOf(leftOut), options);
  }

  private static Outcome decide(
      Update update, List<String> unranked, ApplyOptions options, Loaded loaded)
      throws FailureException {
    List<String> notInForce = holdersFirst(unranked, loaded);
    if (!notInForce.isEmpty() && !options.acceptPartial()) {
      throw new FailureException(
          FailureCause.PARTLY_IN_FORCE,
          "update "
              + update.id()
              + " would be only partly in force, so nothing was changed: "
              + firstOf(notInForce)
              + " (build the update with a hook for that state, or pass --accept-partial to"
              + " apply it anyway)",
          notInForce,
          null);
    }
    return Outcome.of(notInForce);
  }

  /**
   * The parts in the order a refusal names them: a part whose objects hold (in a field whose type
   * the library declares, directly or through objects of the library's types they hold) objects of
   * another part's class comes before that part, the others keep their order. The object the
   * program built and calls (a serializer with its security set up at start) is where an exploit
   * meets the old behaviour; what it holds inside is reached only through it, and a hook that
   * rebuilds it rebuilds those too. A refusal named first an object held deep inside one, and
   * buried the one the program holds.
   */
  static List<String> holdersFirst(List<String> parts, Loaded loaded) {
    if (parts.size() < 2) {
      return parts;
    }
    List<List<Class<?>>> owners = new ArrayList<>();
    for (String part : parts) {
      String owner = owner(part);
      owners.add(owner == null ? List.of() : loaded.named(owner));
    }
    int[] held = new int[parts.size()];
    java.util.Map<Class<?>, List<Class<?>>> fields = new java.util.HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      for (int j = 0; j < parts.size(); j++) {
        if (i != j && reaches(owners.get(i), owners.get(j), fields)) {
          held[i]++;
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      order.add(i);
    }
    order.sort((x, y) -> Integer.compare(held[y], held[x])); // stable: ties keep their order
    List<String> out = new ArrayList<>();
    for (int i : order) {
      out.add(
          held[i] == 0 || i != order.get(0)
              ? parts.get(i)
              : parts.get(i) + " (they hold objects of " + held[i] + " other part(s) named here)");
    }
    return out;
  }

  /** The class a part names ("objects of a.B built ...", "static field a.B.f", "cache a.B.c"). */
  static String owner(String part) {
    if (part.startsWith("objects of ")) {
      int end = part.indexOf(' ', "objects of ".length());
      return part.substring("objects of ".length(), end < 0 ? part.length() : end);
    }
    for (String prefix : List.of("static field ", "cache ")) {
      if (part.startsWith(prefix)) {
        int end = part.indexOf(' ', prefix.length());
        String member = part.substring(prefix.length(), end < 0 ? part.length() : end);
        member = member.endsWith(":") ? member.substring(0, member.length() - 1) : member;
        int dot = member.lastIndexOf('.');
        return dot < 0 ? null : member.substring(0, dot);
      }
    }
    return null;
  }

  private static final int HOLD_DEPTH = 3;

  /**
   * Whether objects of a class in {@code from} can hold objects of one in {@code to}: through
   * instance fields, up to {@value #HOLD_DEPTH} deep, whose declared types are the library's (not
   * the JDK's: an {@code Object} or {@code List} field says nothing of what it holds).
   */
  private static boolean reaches(
      List<Class<?>> from, List<Class<?>> to, java.util.Map<Class<?>, List<Class<?>>> fields) {
    if (from.isEmpty() || to.isEmpty()) {
      return false;
    }
    Set<Class<?>> seen = new HashSet<>(from);
    Deque<Class<?>> level = new ArrayDeque<>(from);
    for (int depth = 0; depth < HOLD_DEPTH && !level.isEmpty(); depth++) {
      Deque<Class<?>> next = new ArrayDeque<>();
      for (Class<?> c : level) {
        for (Class<?> type : fields.computeIfAbsent(c, InForceCheck::fieldTypes)) {
          for (Class<?> target : to) {
            if (type.isAssignableFrom(target) && !from.contains(target)) {
              return true;
            }
          }
          if (seen.add(type)) {
            next.add(type);
          }
        }
      }
      level = next;
    }
    return false;
  }

  /** The library-declared types of the instance fields of a class and its superclasses. */
  private static List<Class<?>> fieldTypes(Class<?> c) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> k = c; k != null && !jdk(k); k = k.getSuperclass()) {
      Field[] fields;
      try {
        fields = k.getDeclaredFields();
      } catch (LinkageError | SecurityException e) {
        continue; // a field type that does not resolve: what it holds is not known
      }
      for (Field f : fields) {
        Class<?> type = f.getType();
        while (type.isArray()) {
          type = type.getComponentType();
        }
        if (!Modifier.isStatic(f.getModifiers()) && !type.isPrimitive() && !jdk(type)) {
          out.add(type);
        }
      }
    }
    return out;
  }

  private static boolean jdk(Class<?> c) {
    String n = c.getName();
    return n.startsWith("java.")
        || n.startsWith("javax.")
        || n.startsWith("jdk.")
        || n.startsWith("sun.")
        || n.startsWith("com.sun.");
  }

  /**
   * The refusal's one line names the first part and counts the others, which the failure's details
   * list: a refusal with hundreds of parts was one line of kilobytes.
   */
  static String firstOf(List<String> notInForce) {
    String first = notInForce.get(0); // whole: its last words often say why (the charset here)
    int more = notInForce.size() - 1;
    return notInForce.size()
        + " part(s) of the state built before it may keep the old behaviour: "
        + first
        + (more == 0 ? "" : "; and " + more + " more, which --verbose and --json list");
  }
}
