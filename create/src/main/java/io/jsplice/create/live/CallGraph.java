package io.jsplice.create.live;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Calls and static reads within the fixed release, to tell which values computed before the update
 * depend on what the update changes: a singleton built by a constructor whose code changed, a set
 * copied from a deny-list that gained entries.
 *
 * <p>Calls are resolved to the named method only (no virtual dispatch) and followed to a bounded
 * depth; a method outside the class set contributes nothing. Good enough to decide what to
 * recompute: a miss leaves old state in place, which the report then names as needing a hook.
 */
final class CallGraph {
  private static final int MAX_DEPTH = 12;

  private final Function<String, byte[]> classes;
  private final Set<String> changedMethods;
  private final Set<String> newClasses;
  private final Set<String> opaque;
  private final Map<String, ClassNode> nodes = new HashMap<>();
  private final Map<String, Boolean> reachesChange = new HashMap<>();
  private final Map<String, Set<String>> staticReads = new HashMap<>();

  /**
   * @param classes fixed classes by internal name
   * @param changedMethods {@code owner.name+desc} of every method whose code the update changes
   * @param newClasses internal names of classes the update adds (all their code is new)
   */
  CallGraph(Function<String, byte[]> classes, Set<String> changedMethods, Set<String> newClasses) {
    this(classes, changedMethods, newClasses, Set.of());
  }

  /**
   * @param opaque {@code owner.name+desc} of methods whose calls and static reads are not followed:
   *     changed construction code, whose whole effect is on the objects it builds, which are looked
   *     for as objects of their class, or that builds what the old code built
   */
  CallGraph(
      Function<String, byte[]> classes,
      Set<String> changedMethods,
      Set<String> newClasses,
      Set<String> opaque) {
    this.classes = classes;
    this.changedMethods = changedMethods;
    this.newClasses = newClasses;
    this.opaque = opaque;
  }

  /** Whether calling the method runs code the update changed or added. */
  boolean reachesChange(String owner, String name, String desc) {
    return reaches(owner, name, desc, 0, new HashSet<>());
  }

  private boolean reaches(String owner, String name, String desc, int depth, Set<String> path) {
    String key = owner + "." + name + desc;
    if (changedMethods.contains(key) || newClasses.contains(owner)) {
      return true;
    }
    if (opaque.contains(key)) {
      return false;
    }
    Boolean known = reachesChange.get(key);
    if (known != null) {
      return known;
    }
    if (depth > MAX_DEPTH || !path.add(key)) {
      return false;
    }
    MethodNode method = method(owner, name, desc);
    boolean result = false;
    if (method != null) {
      for (AbstractInsnNode insn : method.instructions) {
        if (insn instanceof MethodInsnNode m && reaches(m.owner, m.name, m.desc, depth + 1, path)) {
          result = true;
          break;
        }
      }
    }
    path.remove(key);
    reachesChange.put(key, result);
    return result;
  }

  /** Static fields ({@code owner.name:desc}) the method reads, directly or through calls. */
  Set<String> staticReads(String owner, String name, String desc) {
    Set<String> out = new HashSet<>();
    collectReads(owner, name, desc, 0, new HashSet<>(), out);
    return out;
  }

  private void collectReads(
      String owner, String name, String desc, int depth, Set<String> seen, Set<String> out) {
    String key = owner + "." + name + desc;
    if (depth > MAX_DEPTH || opaque.contains(key) || !seen.add(key)) {
      return;
    }
    Set<String> cached = staticReads.get(key);
    if (cached != null) {
      out.addAll(cached);
      return;
    }
    MethodNode method = method(owner, name, desc);
    if (method == null) {
      return;
    }
    Set<String> mine = new HashSet<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC) {
        mine.add(f.owner + "." + f.name + ":" + f.desc);
      } else if (insn instanceof MethodInsnNode m) {
        collectReads(m.owner, m.name, m.desc, depth + 1, seen, mine);
      }
    }
    if (depth == 0) {
      staticReads.put(key, Collections.unmodifiableSet(new TreeSet<>(mine))); // stable messages
    }
    out.addAll(mine);
  }

  private MethodNode method(String owner, String name, String desc) {
    ClassNode node =
        nodes.computeIfAbsent(
            owner,
            n -> {
              byte[] bytes = classes.apply(n);
              if (bytes == null) {
                return null;
              }
              ClassNode c = new ClassNode();
              new ClassReader(bytes).accept(c, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
              return c;
            });
    if (node == null) {
      return null;
    }
    for (MethodNode m : node.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    // Inherited: look in the superclass.
    return node.superName == null ? null : method(node.superName, name, desc);
  }
}
