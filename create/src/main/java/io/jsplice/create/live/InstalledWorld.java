package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the running JVM will look like once an update is installed, as far as code rewriting needs
 * it: where members live ({@link Relocations}), which access flags and nests the JVM enforces (the
 * loaded classes keep their old ones), and the role of every class jsplice writes.
 */
final class InstalledWorld {
  enum Role {
    /** A loaded class redefined in place: keeps its old shape and nest. */
    EXISTING,
    /** A class an update defines to hold what its host cannot. */
    COMPANION,
    /** A class of the fixed release that did not exist before. */
    NEW
  }

  final Relocations relocations = new Relocations();

  /** How code builds objects with constructors the running JVM does not have. */
  final LoweredConstructors constructors = new LoweredConstructors();

  /** Methods of loaded classes that send some receivers to code the method tables cannot list. */
  final HostDispatch dispatch = new HostDispatch();

  /** Installed classes whose code was rearranged beyond what their stack map frames describe. */
  final Set<String> recomputeFrames = new HashSet<>();

  /** Added subclasses of classes that are final in the running JVM, merged into them. */
  final MergedSubclasses merged = new MergedSubclasses();

  /** The fixed release's view, for resolving which class declares a referenced member. */
  final ClassHierarchy post;

  /** The running JVM's view after installation: old shapes of loaded classes. */
  final ClassHierarchy installed;

  private final Map<String, Role> roles = new HashMap<>();
  private final Map<String, String> hosts = new HashMap<>(); // companion -> host
  private final Map<String, Set<String>> nests = new HashMap<>(); // class -> its nest in the JVM

  /** Why some code cannot be installed; filled while rewriting. */
  final List<String> refusals = new ArrayList<>();

  InstalledWorld(ClassHierarchy post, ClassHierarchy installed) {
    this.post = post;
    this.installed = installed;
  }

  /**
   * The descriptor the running JVM gives a field the fixed release references as {@code
   * owner.name:desc}: the old one when the update keeps the field with its loaded type ({@link
   * FieldRetyping}), else {@code desc} itself.
   */
  String loadedFieldDescriptor(String owner, String name, String desc) {
    String key = name + ":" + desc;
    String declaring = post.declaringClass(owner, key);
    Relocations.Retyped retyped = relocations.retyped(declaring != null ? declaring : owner, key);
    return retyped != null ? retyped.oldDescriptor() : desc;
  }

  void role(String className, Role role) {
    roles.put(className, role);
  }

  Role role(String className) {
    return roles.get(className);
  }

  void companion(String companion, String host) {
    roles.put(companion, Role.COMPANION);
    hosts.put(companion, host);
  }

  /** May return null. */
  String hostOf(String companion) {
    return hosts.get(companion);
  }

  /** Records a nest as the JVM knows it (host plus members, from the loaded class). */
  void nest(String host, List<String> members) {
    Set<String> nest = new HashSet<>(members);
    nest.add(host);
    for (String member : nest) {
      nests.put(member, nest);
    }
  }

  boolean sameNest(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    Set<String> nest = nests.get(a);
    return nest != null && nest.contains(b);
  }

  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }
}
