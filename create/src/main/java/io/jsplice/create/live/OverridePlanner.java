package io.jsplice.create.live;

import static io.jsplice.create.live.LivePlanner.dotted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides how the JVM reaches overrides that an update adds to loaded classes. A loaded class
 * cannot gain methods, and the JVM's method tables send calls on its objects to the implementation
 * it inherits. That implementation is the <em>dispatch host</em>: when the release has it (and so
 * jsplice may redefine it), its installed body starts by sending receivers of the overriding class
 * to the override's code in that class's companion ({@link HostDispatch}); its own body stays for
 * everyone else and for the override's {@code super} calls. An override of a method the release
 * does not hold (a JDK class, a dependency) is refused.
 */
final class OverridePlanner {
  private final UpdateClasses update;
  private final InstalledWorld world;
  private final String updateId;
  private final Map<String, String> companions; // host -> companion

  /** Per overriding class: why an added override cannot be reached. */
  private final Map<String, List<String>> refusals = new LinkedHashMap<>();

  /** Hosts the update does not modify otherwise, which it installs for their prologue. */
  private final Set<String> dispatchOnly = new LinkedHashSet<>();

  private OverridePlanner(
      UpdateClasses update, InstalledWorld world, String updateId, Map<String, String> companions) {
    this.update = update;
    this.world = world;
    this.updateId = updateId;
    this.companions = companions;
  }

  /**
   * Plans the dispatch of every added override of the update's modified classes. Must run after the
   * companions are placed ({@link RelocationPlanner}); adds companions for dispatch hosts.
   */
  static OverridePlanner plan(
      UpdateClasses update, InstalledWorld world, String updateId, Map<String, String> companions) {
    OverridePlanner out = new OverridePlanner(update, world, updateId, companions);
    for (Map.Entry<String, SchemaComparison> e : update.schemas.entrySet()) {
      for (MethodNode m : e.getValue().addedMethods.values()) {
        out.planOverride(e.getKey(), m);
      }
    }
    return out;
  }

  private void planOverride(String overrider, MethodNode m) {
    if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) != 0 || m.name.startsWith("<")) {
      return;
    }
    String key = m.name + m.desc;
    String overridden = inheritedDeclaration(overrider, key);
    if (overridden == null || world.installed.access(overridden, key) < 0) {
      return; // not an override, or the update adds the overridden method too (its companion)
    }
    String host = selected(overrider, key);
    if (host == null) {
      refuse(
          overrider,
          dotted(overrider)
              + " adds "
              + key
              + ", which overrides the abstract "
              + dotted(overridden)
              + "."
              + m.name
              + " that nothing in the running class implements");
      return;
    }
    if (!patchable(host) && reachedOnlyByItsOwnCode(overrider, key, host)) {
      return; // its callers are the update's code, which calls the added method in the companion
    }
    if (!patchable(host)) {
      refuse(
          overrider,
          dotted(overrider)
              + " adds "
              + key
              + ", which overrides "
              + dotted(host)
              + "."
              + m.name
              + "; the JVM's method tables cannot list an override added live, and that method"
              + " is in "
              + (world.installed.info(host) == null
                  ? "a class jsplice cannot see"
                  : "a class outside the release (the JDK or a dependency)")
              + ", where jsplice does not patch it to dispatch");
      return;
    }
    addEntry(
        host,
        key,
        new HostDispatch.Entry(
            overrider,
            null,
            companions.get(overrider),
            Companions.directName(m.name),
            CompanionBuilder.withReceiver(overrider, m.desc),
            overrider));
  }

  /**
   * Whether an added override of {@code java.lang.Object.clone()} can be called only by the code of
   * its own class, which the update holds (protobuf-java 3.16.1's {@code
   * UnknownFieldSet.Field.Builder} gains a public {@code clone()}, whose bridge overrides it).
   * {@code Object.clone} is protected: outside {@code java.lang}, a call of it must have the
   * calling class or a subclass as receiver (JVMS 5.4.4), so on objects of a final class only that
   * class calls it, and code that names the class itself runs the added method from its companion.
   * Not when another supertype (an interface) declares {@code clone()}, through which anyone could
   * call it; nor for a class that may have subclasses outside the release.
   */
  private boolean reachedOnlyByItsOwnCode(String overrider, String key, String host) {
    if (!host.equals("java/lang/Object") || !key.equals("clone()Ljava/lang/Object;")) {
      return false;
    }
    for (ClassHierarchy hierarchy : List.of(world.post, world.installed)) {
      ClassHierarchy.ClassInfo own = hierarchy.info(overrider);
      Set<String> supertypes = hierarchy.supertypes(overrider);
      if (own == null || (own.access() & Opcodes.ACC_FINAL) == 0 || supertypes == null) {
        return false;
      }
      for (String s : supertypes) {
        if (!s.equals(overrider)
            && !s.equals(host)
            && hierarchy.info(s).members().containsKey(key)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Records a prologue entry in {@code host} and gives the host what the prologue needs. */
  void addEntry(String host, String key, HostDispatch.Entry entry) {
    world.dispatch.add(host, key, entry);
    String companion = companions.get(host);
    if (companion == null) {
      companion = Companions.companionName(host, updateId);
      companions.put(host, companion);
      world.companion(companion, host);
    }
    String name = key.substring(0, key.indexOf('('));
    String desc = key.substring(key.indexOf('('));
    world.relocations.superBody(
        host,
        key,
        new Relocations.MovedMethod(
            companion, Companions.superName(name), CompanionBuilder.withReceiver(host, desc)));
    if (!update.pairs.containsKey(host)) {
      dispatchOnly.add(host);
    }
  }

  /** Whether jsplice may redefine {@code name}: a class of the running release. */
  private boolean patchable(String name) {
    return update.pairs.containsKey(name) || update.diff.pre().bytes(name) != null;
  }

  /**
   * The supertype of {@code overrider} (fixed release) declaring a non-private instance {@code
   * key}.
   */
  private String inheritedDeclaration(String overrider, String key) {
    ClassHierarchy.ClassInfo info = world.post.info(overrider);
    if (info == null) {
      return null;
    }
    List<String> supers = new ArrayList<>();
    if (info.superName() != null) {
      supers.add(info.superName());
    }
    supers.addAll(info.interfaces());
    for (String s : supers) {
      String declaring = world.post.declaringClass(s, key);
      if (declaring != null) {
        int access = world.post.access(declaring, key);
        if (access >= 0 && (access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) == 0) {
          return declaring;
        }
      }
    }
    return null;
  }

  /**
   * The implementation the running JVM selects for {@code key} on objects of {@code overrider}: the
   * nearest superclass declaring it concretely, else a default method of an interface; null if
   * none.
   */
  private String selected(String overrider, String key) {
    ClassHierarchy.ClassInfo own = world.installed.info(overrider);
    for (String t = own == null ? null : own.superName(); t != null; ) {
      ClassHierarchy.ClassInfo info = world.installed.info(t);
      if (info == null) {
        return null;
      }
      Integer access = info.members().get(key);
      if (access != null && (access & Opcodes.ACC_STATIC) == 0) {
        return (access & Opcodes.ACC_ABSTRACT) != 0 ? null : t;
      }
      t = info.superName();
    }
    return defaultMethod(overrider, key, new LinkedHashSet<>());
  }

  private String defaultMethod(String type, String key, Set<String> seen) {
    ClassHierarchy.ClassInfo info = world.installed.info(type);
    if (info == null || !seen.add(type)) {
      return null;
    }
    List<String> parents = new ArrayList<>(info.interfaces());
    if (info.superName() != null) {
      parents.add(info.superName());
    }
    for (String p : parents) {
      ClassHierarchy.ClassInfo pi = world.installed.info(p);
      if (pi != null && pi.isInterface()) {
        Integer access = pi.members().get(key);
        if (access != null && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
          return p;
        }
      }
      String deeper = defaultMethod(p, key, seen);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }

  private void refuse(String overrider, String why) {
    refusals.computeIfAbsent(overrider, k -> new ArrayList<>()).add(why);
  }

  /** Why the class's added overrides cannot be reached; empty if they can. */
  List<String> refusals(String overrider) {
    return refusals.getOrDefault(overrider, List.of());
  }

  /** The hosts the update installs only for their prologue, in order. */
  Set<String> dispatchOnly() {
    return dispatchOnly;
  }
}
