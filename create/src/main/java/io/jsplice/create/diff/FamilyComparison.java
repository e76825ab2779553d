package io.jsplice.create.diff;

import io.jsplice.create.diff.Renames.Pairing;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * Compares one class family (a top-level class and everything nested in it, see {@link
 * SyntheticNames#family}) across versions. Renumbering stays inside a family, so each family can be
 * matched and compared on its own, and a family whose classes all have equal fingerprints is
 * skipped without parsing.
 *
 * <p>Not thread-safe; one instance per family.
 */
final class FamilyComparison {
  private final ClassSet preSet;
  private final ClassSet postSet;
  private final Set<String> preNames;
  private final Set<String> postNames;
  private final Map<String, ClassNode> pre = new LinkedHashMap<>();
  private final Map<String, ClassNode> post = new LinkedHashMap<>();
  private final Map<String, ClassNode> remapped = new HashMap<>();
  private final Map<String, Boolean> sameFingerprint = new HashMap<>();
  private Renames renames = Renames.none();

  /**
   * What the comparison found for one class; {@code changes} is mutable so that constant changes
   * can be explained once every family is compared.
   *
   * @param pair the class in both versions; null for an added or removed class
   */
  record Outcome(
      String preName,
      String postName,
      ClassStatus status,
      List<Change> changes,
      Map<String, String> renamedMembers,
      ClassPair pair) {}

  /** The outcomes of one family and what later steps need from it. */
  record Result(
      List<Outcome> outcomes, Map<String, String> renamedClasses, List<ConstantChange> constants) {}

  FamilyComparison(ClassSet preSet, ClassSet postSet, Set<String> preNames, Set<String> postNames) {
    this.preSet = preSet;
    this.postSet = postSet;
    this.preNames = new TreeSet<>(preNames);
    this.postNames = new TreeSet<>(postNames);
  }

  Result compare() {
    List<Outcome> outcomes = new ArrayList<>();
    List<ConstantChange> constants = new ArrayList<>();
    if (preNames.equals(postNames) && preNames.stream().allMatch(this::sameFingerprint)) {
      return new Result(outcomes, Map.of(), constants);
    }
    preNames.forEach(name -> pre.put(name, parse(preSet, name)));
    postNames.forEach(name -> post.put(name, parse(postSet, name)));
    renames = SyntheticMatcher.match(pre, post);
    Set<String> paired = new TreeSet<>();
    for (String postName : postNames) {
      String preName =
          SyntheticNames.isNumberedClass(postName)
              ? renames.pairedClass(postName)
              : (pre.containsKey(postName) ? postName : null);
      if (preName == null) {
        List<Change> changes = new ArrayList<>();
        changes.add(
            Change.ofClass(
                ChangeKind.CLASS_ADDED, "new " + ClassDescription.of(post.get(postName))));
        outcomes.add(new Outcome(null, postName, ClassStatus.ADDED, changes, Map.of(), null));
      } else {
        paired.add(preName);
        Outcome modified = compare(preName, postName, constants);
        if (modified != null) {
          outcomes.add(modified);
        }
      }
    }
    for (String preName : preNames) {
      if (!paired.contains(preName)) {
        List<Change> changes = new ArrayList<>();
        changes.add(
            Change.ofClass(
                ChangeKind.CLASS_REMOVED, ClassDescription.of(pre.get(preName)) + " removed"));
        outcomes.add(new Outcome(preName, null, ClassStatus.REMOVED, changes, Map.of(), null));
      }
    }
    return new Result(outcomes, renames.renamedClasses(), constants);
  }

  /** May return null (no difference). */
  private Outcome compare(String preName, String postName, List<ConstantChange> constants) {
    if (renames.isIdentity() && preName.equals(postName) && sameFingerprint(preName)) {
      return null;
    }
    ClassPair pair = new ClassPair(pre.get(preName), post.get(postName), remapped(postName));
    List<Change> changes = new ArrayList<>();
    if (!preName.equals(postName)) {
      changes.add(Change.ofClass(ChangeKind.SYNTHETIC_RENAMED, renamedClass(preName, postName)));
    }
    ClassHeaderComparison.compare(pair.pre(), pair.remapped(), changes);
    FieldComparison.compare(pair, changes, constants);
    MethodComparison.compare(
        pair, new Once<>(() -> InitOnlyReachability.of(pair.remapped(), allRemapped())), changes);
    Map<String, String> renamedMembers = renames.renamedMembers(postName);
    renamedMembers.forEach(
        (postKey, preKey) ->
            changes.add(
                new Change(
                    ChangeKind.SYNTHETIC_RENAMED,
                    preKey,
                    syntheticKind(preKey)
                        + " compiled as "
                        + postKey.substring(0, postKey.indexOf('('))
                        + " in the new version; its code is identical")));
    if (changes.isEmpty()) {
      return null;
    }
    return new Outcome(preName, postName, ClassStatus.MODIFIED, changes, renamedMembers, pair);
  }

  private String renamedClass(String preName, String postName) {
    String compiled = JavaSyntax.className(postName) + " in the new version";
    Pairing pairing = renames.pairing(postName);
    if (pairing == Pairing.CONTENT) {
      return ClassDescription.of(pre.get(preName))
          + " compiled as "
          + compiled
          + "; its content is identical";
    }
    return JavaSyntax.className(preName)
        + " compiled as "
        + compiled
        + " because an enclosing class was renumbered";
  }

  private static String syntheticKind(String key) {
    String name = key.substring(0, key.indexOf('('));
    return SyntheticNames.isLambda(name) ? "lambda body " + name : "synthetic accessor " + name;
  }

  private ClassNode remapped(String postName) {
    return remapped.computeIfAbsent(postName, name -> renames.remap(post.get(name)));
  }

  /** Every post class of the family under the running JVM's names, for call-graph questions. */
  private List<ClassNode> allRemapped() {
    List<ClassNode> all = new ArrayList<>();
    postNames.forEach(name -> all.add(remapped(name)));
    return all;
  }

  /** Whether a class has the same fingerprint in both versions; computed once per class. */
  private boolean sameFingerprint(String name) {
    return sameFingerprint.computeIfAbsent(
        name,
        n -> {
          byte[] before = preSet.bytes(n);
          byte[] after = postSet.bytes(n);
          if (before == null || after == null) {
            return false;
          }
          return Arrays.equals(before, after)
              || fingerprint(preSet, n, before).equals(fingerprint(postSet, n, after));
        });
  }

  private static String fingerprint(ClassSet set, String name, byte[] bytes) {
    try {
      return ClassFingerprint.of(bytes);
    } catch (IllegalArgumentException malformed) {
      throw invalid(set, name, malformed);
    }
  }

  private static ClassNode parse(ClassSet set, String name) {
    ClassNode node = new ClassNode();
    try {
      new ClassReader(set.bytes(name))
          .accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (RuntimeException malformed) {
      throw invalid(set, name, malformed);
    }
    return node;
  }

  private static IllegalArgumentException invalid(ClassSet set, String name, Exception cause) {
    return new IllegalArgumentException(
        JavaSyntax.className(name) + " in " + set.origin() + " is not a valid class file: " + cause,
        cause);
  }

  /** Computes a value on first use only; not thread-safe. */
  private static final class Once<T> implements Supplier<T> {
    private Supplier<T> computation;
    private T value;

    Once(Supplier<T> computation) {
      this.computation = computation;
    }

    @Override
    public T get() {
      if (computation != null) {
        value = computation.get();
        computation = null;
      }
      return value;
    }
  }
}
