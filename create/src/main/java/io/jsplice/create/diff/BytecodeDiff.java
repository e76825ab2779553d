package io.jsplice.create.diff;

import io.jsplice.create.diff.FamilyComparison.Outcome;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two versions of a body of code method by method and classifies every difference: the
 * pre/post comparison of {@code jsplice create}.
 *
 * <p>Classes are compared on what the JVM runs, as {@link
 * io.jsplice.model.fingerprint.ClassFingerprint} normalizes it: debug information, frames,
 * constant-pool layout and member order do not count, and a class whose fingerprint is unchanged is
 * left out.
 *
 * <p>What javac numbers (anonymous and local classes, switch maps, lambda bodies, accessors) is
 * paired by content, not by name, when insertions renumbered it: such a class or method is reported
 * as {@link ChangeKind#SYNTHETIC_RENAMED} and recorded in {@link ClassSetDiff#renamedClasses()} or
 * {@link ClassDiff#renamedMembers()}, and code that refers to it is compared under the old names,
 * so it does not show up as changed. A renamed class whose content is identical is still listed,
 * with that one change, so that whoever applies the update knows which class the running JVM knows
 * it by.
 *
 * <p>Changes of one class are ordered class-level first (by kind), then by member key.
 *
 * <p>Thread-safe: each call works on its own state.
 */
public final class BytecodeDiff {
  private static final Comparator<Change> CHANGE_ORDER =
      Comparator.comparing((Change c) -> c.member() != null)
          .thenComparing(c -> c.member() == null ? "" : c.member())
          .thenComparing(Change::kind)
          .thenComparing(Change::detail);

  private static final Comparator<ClassDiff> CLASS_ORDER =
      Comparator.comparing(ClassDiff::name)
          // A class the running JVM knows comes before a new class javac gave the same name.
          .thenComparing(d -> d.status() == ClassStatus.ADDED);

  private BytecodeDiff() {}

  /**
   * @param pre the code the running JVM has
   * @param post the fixed code
   * @throws IllegalArgumentException when a class file of either set cannot be parsed; the message
   *     names the class and the set
   */
  public static ClassSetDiff compare(ClassSet pre, ClassSet post) {
    Objects.requireNonNull(pre, "pre");
    Objects.requireNonNull(post, "post");
    Map<String, Set<String>> preFamilies = families(pre);
    Map<String, Set<String>> postFamilies = families(post);
    Set<String> families = new TreeSet<>(preFamilies.keySet());
    families.addAll(postFamilies.keySet());
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, String> renamedClasses = new TreeMap<>();
    List<ConstantChange> constants = new ArrayList<>();
    for (String family : families) {
      FamilyComparison.Result result =
          new FamilyComparison(
                  pre,
                  post,
                  preFamilies.getOrDefault(family, Set.of()),
                  postFamilies.getOrDefault(family, Set.of()))
              .compare();
      outcomes.addAll(result.outcomes());
      renamedClasses.putAll(result.renamedClasses());
      constants.addAll(result.constants());
    }
    Map<Change, Change> explained = ConstantInlining.explain(constants, changedCode(outcomes));
    List<ClassDiff> diffs = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      List<Change> changes = new ArrayList<>();
      outcome.changes().forEach(c -> changes.add(explained.getOrDefault(c, c)));
      changes.sort(CHANGE_ORDER);
      diffs.add(
          new ClassDiff(
              outcome.preName(),
              outcome.postName(),
              outcome.status(),
              outcome.preName() == null ? null : pre.bytes(outcome.preName()),
              outcome.postName() == null ? null : post.bytes(outcome.postName()),
              changes,
              outcome.renamedMembers()));
    }
    diffs.sort(CLASS_ORDER);
    return new ClassSetDiff(pre, post, diffs, renamedClasses);
  }

  /** Class names by family (top-level class). */
  private static Map<String, Set<String>> families(ClassSet set) {
    Map<String, Set<String>> families = new TreeMap<>();
    for (String name : set.classes().keySet()) {
      families.computeIfAbsent(SyntheticNames.family(name), f -> new TreeSet<>()).add(name);
    }
    return families;
  }

  /** Classes in both versions whose code changed: where inlined constants can be found. */
  private static List<ClassPair> changedCode(List<Outcome> outcomes) {
    List<ClassPair> pairs = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.pair() != null
          && outcome.changes().stream().anyMatch(c -> isCodeChange(c.kind()))) {
        pairs.add(outcome.pair());
      }
    }
    return pairs;
  }

  private static boolean isCodeChange(ChangeKind kind) {
    return kind == ChangeKind.METHOD_BODY_CHANGED
        || kind == ChangeKind.INIT_ONLY_CODE_CHANGED
        || kind == ChangeKind.STATIC_INITIALIZER_CHANGED;
  }
}
