package io.jsplice.create.diff;

import io.jsplice.create.diff.MaskedClass.Member;
import io.jsplice.create.diff.Renames.Pairing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Pairs the numbered classes and methods of one class family (see {@link SyntheticNames}) across
 * versions by content rather than by name, so that code javac merely renumbered is not reported as
 * removed and added.
 *
 * <ol>
 *   <li><b>Candidates</b>: a post and a pre class (or method) whose {@linkplain MaskedClass masked}
 *       texts are equal, i.e. that differ at most in the numbered names they use, and, for a class,
 *       in the descriptor of the method it was written in when the pre one is gone from its class
 *       (the code that writes it moved to a method of the same name: {@link #enclosingAgrees}).
 *   <li><b>Refinement</b>: a candidate pair survives only if the numbered names it uses, position
 *       by position, are themselves candidate pairs (or the same name), repeated until nothing
 *       changes: the greatest consistent relation, so that code referring to renumbered code in a
 *       cycle (a lambda creating an anonymous class declared in that lambda) still pairs.
 *   <li><b>Choice</b>: outer classes before nested ones; per post class or method first the
 *       candidate with the same name, then the lowest-numbered free candidate (javac keeps the
 *       order of what survives), deterministic for equal content. Left-over post entities pair with
 *       a free pre entity of the same name if it looks alike from outside (a changed class that
 *       kept its number); the rest are new.
 *   <li><b>Verification</b>: each content pair must compare equal under the chosen renames;
 *       failures are excluded and the choice is made again.
 * </ol>
 *
 * <p>Limits (none hides a difference; they affect how one is classified):
 *
 * <ul>
 *   <li>Only javac's naming is known, and renames are looked for inside a family only (javac never
 *       lets other classes name these things; Kotlin's inlined lambdas, for one, are not covered).
 *   <li>A numbered class that was both renumbered and changed is reported as removed and added; a
 *       lambda or accessor likewise, as a removed and an added method.
 *   <li>A changed lambda pairs with the pre lambda of the same name and descriptor, which may be a
 *       different lambda when one was removed and another added in its place: reported as a changed
 *       body where "removed and added" would be more accurate.
 *   <li>Members whose masked texts are equal are ordered by their references, so a class holding
 *       two lambdas that differ only in what they name may fail refinement and pair by name.
 *   <li>{@code $deserializeLambda$} is compared after renaming; when renumbering also reordered its
 *       cases it is reported as changed (its code is redefinable).
 * </ul>
 *
 * <p>Not thread-safe; one instance per family.
 */
final class SyntheticMatcher {
  private final Map<String, ClassNode> pre;
  private final Map<String, ClassNode> post;
  private final Map<String, MaskedClass> preMasked = new HashMap<>();
  private final Map<String, MaskedClass> postMasked = new HashMap<>();

  /** Post class to the pre classes it may be; numbered classes only. */
  private final Map<String, Set<String>> classCandidates = new TreeMap<>();

  /** Post {@code owner.key} to the pre {@code owner.key}s it may be; numbered methods only. */
  private final Map<String, Set<String>> methodCandidates = new TreeMap<>();

  /** Post and pre member references, for refinement: {@code owner.key} to member. */
  private final Map<String, Member> postMembers = new HashMap<>();

  private final Map<String, Member> preMembers = new HashMap<>();

  /** Pairs ({@code post + "->" + pre}) that failed verification. */
  private final Set<String> excluded = new HashSet<>();

  private SyntheticMatcher(Map<String, ClassNode> pre, Map<String, ClassNode> post) {
    this.pre = pre;
    this.post = post;
  }

  /**
   * @param pre the family's pre classes by name
   * @param post the family's post classes by name
   */
  static Renames match(Map<String, ClassNode> pre, Map<String, ClassNode> post) {
    if (!hasNumbered(pre) && !hasNumbered(post)) {
      return Renames.none();
    }
    return new SyntheticMatcher(pre, post).run();
  }

  private static boolean hasNumbered(Map<String, ClassNode> classes) {
    for (ClassNode node : classes.values()) {
      if (SyntheticNames.isNumberedClass(node.name)) {
        return true;
      }
      for (MethodNode method : node.methods) {
        if (SyntheticNames.isNumberedMethod(method.name)) {
          return true;
        }
      }
    }
    return false;
  }

  private Renames run() {
    findCandidates();
    refine();
    // Each round excludes at least one more pair, so this ends.
    while (true) {
      Choice choice = choose();
      List<String> failures = verify(choice);
      if (failures.isEmpty()) {
        return choice.renames;
      }
      excluded.addAll(failures);
    }
  }

  private MaskedClass masked(boolean preSide, String name) {
    Map<String, MaskedClass> cache = preSide ? preMasked : postMasked;
    return cache.computeIfAbsent(
        name, n -> MaskedClass.of(withoutEnclosingDescriptor((preSide ? pre : post).get(n))));
  }

  /**
   * The class without the descriptor of the named method it was written in (a lambda's is kept:
   * refinement pairs lambdas by it): which of two methods of that name wrote a class is for {@link
   * #enclosingAgrees} to judge, not for the candidates' texts.
   */
  private static ClassNode withoutEnclosingDescriptor(ClassNode node) {
    if (node.outerMethod == null || SyntheticNames.isNumberedMethod(node.outerMethod)) {
      return node;
    }
    ClassNode copy = new ClassNode();
    node.accept(copy);
    copy.outerMethodDesc = null;
    return copy;
  }

  /**
   * Whether the methods a post and a pre class were written in allow them to be one class: the same
   * method, or methods of one name where the pre one is gone from the post version of its class, so
   * that its code, classes written in it included, now lives elsewhere (guava 32.0.0's {@code
   * FileBackedOutputStream(int, boolean)} does the work of the private constructor it delegated to
   * in 31.1, whose descriptor had one more parameter, and writes its two anonymous classes).
   * Lambdas as enclosing methods are paired by refinement and agree here.
   */
  private boolean enclosingAgrees(ClassNode postNode, ClassNode preNode) {
    if (preNode.outerMethod == null
        || SyntheticNames.isNumberedMethod(preNode.outerMethod)
        || preNode.outerMethod.equals(postNode.outerMethod)
            && preNode.outerMethodDesc.equals(postNode.outerMethodDesc)) {
      return true;
    }
    ClassNode outer = post.get(preNode.outerClass);
    return preNode.outerMethod.equals(postNode.outerMethod)
        && preNode.outerClass.equals(postNode.outerClass)
        && !SyntheticNames.isNumberedClass(preNode.outerClass)
        && outer != null
        && outer.methods.stream()
            .noneMatch(
                m -> m.name.equals(preNode.outerMethod) && m.desc.equals(preNode.outerMethodDesc));
  }

  /** Whether the two classes were written in the same method, descriptor and all. */
  private static boolean sameEnclosing(ClassNode postNode, ClassNode preNode) {
    return java.util.Objects.equals(postNode.outerMethod, preNode.outerMethod)
        && java.util.Objects.equals(postNode.outerMethodDesc, preNode.outerMethodDesc);
  }

  private void findCandidates() {
    Map<String, List<String>> preClassesByText = new HashMap<>();
    Map<String, List<String>> preMethodsByText = new HashMap<>();
    for (String name : pre.keySet()) {
      boolean numbered = SyntheticNames.isNumberedClass(name);
      if (numbered) {
        String key = SyntheticNames.maskClass(name) + "\n" + masked(true, name).text();
        preClassesByText.computeIfAbsent(key, k -> new ArrayList<>()).add(name);
      }
      for (Member member : numberedMethods(true, name)) {
        preMembers.put(name + '.' + member.key(), member);
        preMethodsByText
            .computeIfAbsent(methodText(name, member), k -> new ArrayList<>())
            .add(name + '.' + member.key());
      }
    }
    for (String name : post.keySet()) {
      if (SyntheticNames.isNumberedClass(name)) {
        String key = SyntheticNames.maskClass(name) + "\n" + masked(false, name).text();
        Set<String> candidates = new LinkedHashSet<>();
        for (String preName : preClassesByText.getOrDefault(key, List.of())) {
          if (enclosingAgrees(post.get(name), pre.get(preName))) {
            candidates.add(preName);
          }
        }
        classCandidates.put(name, candidates);
      }
      for (Member member : numberedMethods(false, name)) {
        String id = name + '.' + member.key();
        postMembers.put(id, member);
        methodCandidates.put(
            id,
            new LinkedHashSet<>(
                preMethodsByText.getOrDefault(methodText(name, member), List.of())));
      }
    }
  }

  /** Numbered methods of a class; masking is skipped for classes that have none. */
  private List<Member> numberedMethods(boolean preSide, String name) {
    ClassNode node = (preSide ? pre : post).get(name);
    if (node.methods.stream().noneMatch(m -> SyntheticNames.isNumberedMethod(m.name))) {
      return List.of();
    }
    List<Member> members = new ArrayList<>();
    for (Member member : masked(preSide, name).members()) {
      if (member.method() && SyntheticNames.isNumberedMethod(methodName(member.key()))) {
        members.add(member);
      }
    }
    return members;
  }

  /** What two methods must share to be candidates: owner's masked name, kind and masked text. */
  private static String methodText(String owner, Member member) {
    String name = methodName(member.key());
    return SyntheticNames.maskClass(owner)
        + (SyntheticNames.isLambda(name) ? " lambda\n" : " accessor\n")
        + member.textWithoutName();
  }

  private void refine() {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, Set<String>> entry : classCandidates.entrySet()) {
        List<String> references = masked(false, entry.getKey()).references();
        changed |=
            entry
                .getValue()
                .removeIf(
                    preName ->
                        !consistent(references, masked(true, preName).references())
                            || !sameOrCandidate(
                                "C" + SyntheticNames.scope(entry.getKey()),
                                "C" + SyntheticNames.scope(preName)));
      }
      for (Map.Entry<String, Set<String>> entry : methodCandidates.entrySet()) {
        List<String> references = postMembers.get(entry.getKey()).references();
        changed |=
            entry
                .getValue()
                .removeIf(id -> !consistent(references, preMembers.get(id).references()));
      }
    }
  }

  private boolean consistent(List<String> post, List<String> pre) {
    if (post.size() != pre.size()) {
      return false;
    }
    for (int i = 0; i < post.size(); i++) {
      if (!sameOrCandidate(post.get(i), pre.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** References are {@code C}+class or {@code M}+owner.key (see {@link MaskedClass.Member}). */
  private boolean sameOrCandidate(String post, String pre) {
    if (post.equals(pre)) {
      return true;
    }
    Set<String> candidates =
        post.charAt(0) == 'C'
            ? classCandidates.get(post.substring(1))
            : methodCandidates.get(post.substring(1));
    return candidates != null
        && pre.charAt(0) == post.charAt(0)
        && candidates.contains(pre.substring(1));
  }

  /** A choice of pairs and the renames it implies, with the content pairs to verify. */
  private record Choice(
      Renames renames, Map<String, String> contentClasses, Map<String, String> contentMethods) {}

  private Choice choose() {
    Renames.Builder renames = new Renames.Builder();
    Map<String, String> contentClasses = new TreeMap<>();
    List<String> numbered =
        post.keySet().stream()
            .filter(SyntheticNames::isNumberedClass)
            .sorted(
                Comparator.comparingInt((String n) -> depth(n))
                    .thenComparing(SyntheticNames::scope)
                    .thenComparingInt(n -> SyntheticNames.counter(SyntheticNames.lastSegment(n)))
                    .thenComparing(n -> n))
            .toList();
    int depth = 0;
    List<String> level = new ArrayList<>();
    for (String name : numbered) {
      if (depth(name) != depth) {
        chooseClasses(level, renames, contentClasses);
        level.clear();
        depth = depth(name);
      }
      level.add(name);
    }
    chooseClasses(level, renames, contentClasses);
    Map<String, String> contentMethods = new TreeMap<>();
    for (String postName : post.keySet()) {
      String preName =
          SyntheticNames.isNumberedClass(postName)
              ? renames.pairedClass(postName)
              : (pre.containsKey(postName) ? postName : null);
      if (preName != null) {
        chooseMethods(postName, preName, renames, contentMethods);
      }
    }
    return new Choice(renames.build(), contentClasses, contentMethods);
  }

  /** Pairs the numbered post classes of one nesting depth; outer depths are already paired. */
  private void chooseClasses(
      List<String> level, Renames.Builder renames, Map<String, String> contentClasses) {
    Map<String, String> wanted = new HashMap<>();
    for (String name : level) {
      wanted.put(name, renames.target(SyntheticNames.scope(name)) + "$" + lastSegment(name));
    }
    for (String name : level) { // exact names first
      String preName = wanted.get(name);
      if (isFreeCandidate(name, preName, renames)) {
        renames.pairClass(name, preName, Pairing.CONTENT);
        contentClasses.put(name, preName);
      }
    }
    for (String name : level) { // then the lowest free number in the same scope
      if (renames.isPaired(name) || !SyntheticNames.hasNumberedLastSegment(name)) {
        continue;
      }
      String scope = renames.target(SyntheticNames.scope(name));
      classCandidates.getOrDefault(name, Set.of()).stream()
          .filter(p -> SyntheticNames.scope(p).equals(scope) && isFreeCandidate(name, p, renames))
          .min(
              Comparator.comparingInt(
                      (String p) -> sameEnclosing(post.get(name), pre.get(p)) ? 0 : 1)
                  .thenComparingInt((String p) -> SyntheticNames.counter(lastSegment(p)))
                  .thenComparing(p -> p))
          .ifPresent(
              preName -> {
                renames.pairClass(name, preName, Pairing.CONTENT);
                contentClasses.put(name, preName);
              });
    }
    // then the same name, if it looks alike from outside and keeps its fields' types (a loaded
    // class cannot change them: a class that does is new, under a fresh name)
    for (String name : level) {
      String preName = wanted.get(name);
      if (renames.isPaired(name) || !pre.containsKey(preName) || renames.isTaken(preName)) {
        continue;
      }
      if (!SyntheticNames.hasNumberedLastSegment(name)) {
        renames.pairClass(name, preName, Pairing.NESTED);
      } else if (MaskedClass.shape(withoutEnclosingDescriptor(post.get(name)))
              .equals(MaskedClass.shape(withoutEnclosingDescriptor(pre.get(preName))))
          && enclosingAgrees(post.get(name), pre.get(preName))
          && !MaskedClass.retypesAField(pre.get(preName), post.get(name))) {
        renames.pairClass(name, preName, Pairing.SAME_NAME);
      }
    }
    for (String name : level) { // new classes: keep clear of names the running JVM uses
      if (!renames.isPaired(name)) {
        String target = wanted.get(name);
        renames.moveClass(name, pre.containsKey(target) ? target + Renames.FRESH : target);
      }
    }
  }

  private boolean isFreeCandidate(String post, String pre, Renames.Builder renames) {
    return classCandidates.getOrDefault(post, Set.of()).contains(pre)
        && !renames.isTaken(pre)
        && !excluded.contains(post + "->" + pre);
  }

  private void chooseMethods(
      String postOwner,
      String preOwner,
      Renames.Builder renames,
      Map<String, String> contentMethods) {
    List<Member> postMethods = new ArrayList<>(numberedMethods(false, postOwner));
    if (postMethods.isEmpty()) {
      return;
    }
    postMethods.sort(
        Comparator.comparingInt((Member m) -> SyntheticNames.methodCounter(methodName(m.key())))
            .thenComparing(Member::key));
    Set<String> taken = new HashSet<>();
    Map<String, String> paired = new HashMap<>();
    for (Member member : postMethods) { // exact names first
      String name = methodName(member.key());
      freeCandidates(postOwner, preOwner, member, taken).stream()
          .filter(id -> methodName(key(id)).equals(name))
          .findFirst()
          .ifPresent(id -> pair(member, id, paired, taken));
    }
    for (Member member : postMethods) { // then same family, lowest number
      if (paired.containsKey(member.key())) {
        continue;
      }
      String family = SyntheticNames.methodFamily(methodName(member.key()));
      freeCandidates(postOwner, preOwner, member, taken).stream()
          .min(
              Comparator.comparingInt(
                      (String id) ->
                          SyntheticNames.methodFamily(methodName(key(id))).equals(family) ? 0 : 1)
                  .thenComparingInt(id -> SyntheticNames.methodCounter(methodName(key(id))))
                  .thenComparing(id -> id))
          .ifPresent(id -> pair(member, id, paired, taken));
    }
    for (Member member : postMethods) {
      String postKey = member.key();
      String preKey = paired.get(postKey);
      String name = methodName(postKey);
      if (preKey != null) {
        contentMethods.put(postOwner + '.' + postKey, preOwner + '.' + preKey);
        if (!methodName(preKey).equals(name)) {
          renames.renameMethod(postOwner, postKey, methodName(preKey), preKey);
        }
      } else if (taken.contains(postKey)) {
        // Another post method took over the running method of this name: this one is new.
        renames.renameMethod(postOwner, postKey, name + Renames.FRESH, null);
      }
      // Otherwise it keeps its name: a new method, or a changed version of the same-named one.
    }
  }

  private List<String> freeCandidates(
      String postOwner, String preOwner, Member member, Set<String> taken) {
    String postId = postOwner + '.' + member.key();
    List<String> free = new ArrayList<>();
    for (String id : methodCandidates.getOrDefault(postId, Set.of())) {
      if (owner(id).equals(preOwner)
          && !taken.contains(key(id))
          && !excluded.contains(postId + "->" + id)) {
        free.add(id);
      }
    }
    return free;
  }

  private static void pair(
      Member member, String preId, Map<String, String> paired, Set<String> taken) {
    paired.put(member.key(), key(preId));
    taken.add(key(preId));
  }

  private List<String> verify(Choice choice) {
    Renames renames = choice.renames;
    Map<String, ClassNode> remapped = new HashMap<>();
    List<String> failures = new ArrayList<>();
    choice.contentClasses.forEach(
        (postName, preName) -> {
          ClassNode mapped = remapped.computeIfAbsent(postName, n -> renames.remap(post.get(n)));
          String enclosing = mapped.outerMethodDesc;
          if (mapped.outerMethod != null && !SyntheticNames.isNumberedMethod(mapped.outerMethod)) {
            mapped.outerMethodDesc = pre.get(preName).outerMethodDesc; // enclosingAgrees
          }
          boolean same =
              CanonicalForm.ofClass(mapped).equals(CanonicalForm.ofClass(pre.get(preName)));
          mapped.outerMethodDesc = enclosing;
          if (!same) {
            failures.add(postName + "->" + preName);
          }
        });
    choice.contentMethods.forEach(
        (postId, preId) -> {
          ClassNode postOwner = post.get(owner(postId));
          ClassNode mapped =
              remapped.computeIfAbsent(postOwner.name, n -> renames.remap(postOwner));
          MethodNode postMethod = mapped.methods.get(indexOf(postOwner, key(postId)));
          MethodNode preMethod =
              pre.get(owner(preId)).methods.get(indexOf(pre.get(owner(preId)), key(preId)));
          if (!CanonicalForm.method(postMethod, true)
              .equals(CanonicalForm.method(preMethod, true))) {
            failures.add(postId + "->" + preId);
          }
        });
    return failures;
  }

  private static int indexOf(ClassNode node, String key) {
    for (int i = 0; i < node.methods.size(); i++) {
      MethodNode method = node.methods.get(i);
      if ((method.name + method.desc).equals(key)) {
        return i;
      }
    }
    throw new IllegalStateException("no method " + key + " in " + node.name);
  }

  private static int depth(String name) {
    String nested = name.substring(SyntheticNames.family(name).length());
    return (int) nested.chars().filter(c -> c == '$').count();
  }

  private static String lastSegment(String name) {
    return SyntheticNames.lastSegment(name);
  }

  private static String owner(String id) {
    return id.substring(0, id.indexOf('.'));
  }

  private static String key(String id) {
    return id.substring(id.indexOf('.') + 1);
  }

  private static String methodName(String key) {
    return key.substring(0, key.indexOf('('));
  }
}
