package io.jsplice.agent.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Which code each patched class runs: per class name, the installations of the applied updates,
 * oldest first.
 *
 * <p>The code a class runs is resolved from its base code (what its class loader defined, which is
 * what HotSpot hands a retransformation) by walking the stack: an installation applies when its pre
 * fingerprint is the base (an update built against the release on disk) or the post fingerprint of
 * the installation below it (an update built on top of an earlier one). The newest installation
 * that applies wins. So the same table answers for every class loader, for classes loaded later,
 * and after an undo.
 *
 * <p>Thread-safe: readers (the transformer, on any thread that loads a class) see immutable
 * snapshots; writers are serialized by the engine.
 */
final class InstallationTable {
  private final Map<String, List<Installation>> byClass = new ConcurrentHashMap<>();

  /** Whether any update touches this internal class name; the transformer's fast path. */
  boolean targets(String className) {
    return byClass.containsKey(className);
  }

  /** The installation to run for a class whose base code has {@code baseFingerprint}; or null. */
  Installation resolve(String className, String baseFingerprint) {
    List<Installation> stack = byClass.get(className);
    if (stack == null) {
      return null;
    }
    Installation result = null;
    for (Installation installation : stack) {
      String pre = installation.preFingerprint();
      if (pre.equals(baseFingerprint) || (result != null && pre.equals(result.postFingerprint()))) {
        result = installation;
      }
    }
    return result;
  }

  /** The installations for this class, oldest first; empty if none. */
  List<Installation> stack(String className) {
    return byClass.getOrDefault(className, List.of());
  }

  /** The newest installation for this class, whatever it applies to; or null. */
  Installation top(String className) {
    List<Installation> stack = byClass.get(className);
    return stack == null ? null : stack.get(stack.size() - 1);
  }

  /** An installation for this class that replaces code with {@code preFingerprint}; or null. */
  Installation replacing(String className, String preFingerprint) {
    List<Installation> stack = byClass.get(className);
    if (stack == null) {
      return null;
    }
    for (Installation i : stack) { // a loop: no lambda spun as a first apply retransforms
      if (i.preFingerprint().equals(preFingerprint)) {
        return i;
      }
    }
    return null;
  }

  /** The bytes each class of {@code updateId} installs, by internal name. */
  Map<String, byte[]> bytesOf(String updateId) {
    Map<String, byte[]> out = new java.util.HashMap<>();
    byClass.forEach(
        (name, stack) ->
            stack.stream()
                .filter(i -> i.updateId().equals(updateId))
                .forEach(i -> out.put(name, i.bytes())));
    return out;
  }

  void push(Installation installation) {
    byClass.compute(installation.className(), new Push(installation));
  }

  /**
   * The stack of a class with {@code installation} on top; a class, not a lambda, whose class a
   * first apply in a JVM the agent was just attached to would spin (issue 13).
   */
  private record Push(Installation installation)
      implements BiFunction<String, List<Installation>, List<Installation>> {
    @Override
    public List<Installation> apply(String name, List<Installation> stack) {
      List<Installation> next = stack == null ? new ArrayList<>() : new ArrayList<>(stack);
      next.add(installation);
      return List.copyOf(next);
    }
  }

  /** Removes every installation of {@code updateId}. */
  void remove(String updateId) {
    for (String className : List.copyOf(byClass.keySet())) {
      byClass.computeIfPresent(
          className,
          (name, stack) -> {
            List<Installation> next =
                stack.stream().filter(i -> !i.updateId().equals(updateId)).toList();
            return next.isEmpty() ? null : next;
          });
    }
  }
}
