package io.jsplice.create;

import io.jsplice.create.diff.ClassDiff;
import io.jsplice.create.diff.ClassSetDiff;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The classes of a live subset that build the static state of a class the subset does not change:
 * those its static initializer calls into, directly or through code the subset does not change.
 * When that state cannot be recomputed live, leaving them out means it need not be: the class's
 * state then stays what the code the running JVM keeps built.
 */
final class StateBuilders {
  private StateBuilders() {}

  /**
   * @param running the subset, with the classes the running JVM keeps as its post side
   * @param refused classes the subset does not change whose state it cannot recompute (internal
   *     name), and why; names that are no class of the release are passed over
   * @return the subset's classes to leave out (internal name), and why, in the order found
   */
  static Map<String, String> leaveOut(ClassSetDiff running, Map<String, String> refused) {
    Set<String> subset = new HashSet<>();
    for (ClassDiff c : running.classes()) {
      subset.add(c.name());
    }
    Map<String, String> out = new LinkedHashMap<>();
    refused.forEach(
        (owner, why) -> {
          if (running.post().bytes(owner) == null) {
            return;
          }
          for (String builder : reached(running, subset, owner)) {
            out.putIfAbsent(
                builder,
                "builds the static state of "
                    + owner.replace('/', '.')
                    + ", which cannot be recomputed live: "
                    + why);
          }
        });
    return out;
  }

  /** The subset classes that {@code owner}'s static initializer reaches, in the order found. */
  private static Set<String> reached(ClassSetDiff running, Set<String> subset, String owner) {
    Set<String> found = new java.util.LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String[]> pending = new ArrayDeque<>();
    pending.add(new String[] {owner, "<clinit>", "()V"});
    while (!pending.isEmpty()) {
      String[] call = pending.poll();
      if (subset.contains(call[0])) {
        found.add(call[0]);
        continue;
      }
      if (!seen.add(call[0] + "." + call[1] + call[2])) {
        continue;
      }
      MethodNode method = method(running.post().bytes(call[0]), call[1], call[2]);
      if (method == null) {
        continue;
      }
      for (AbstractInsnNode insn : method.instructions) {
        if (insn instanceof MethodInsnNode m) {
          pending.add(new String[] {m.owner, m.name, m.desc});
        } else if (insn instanceof InvokeDynamicInsnNode indy) {
          for (Object arg : indy.bsmArgs) {
            if (arg instanceof Handle h) {
              pending.add(new String[] {h.getOwner(), h.getName(), h.getDesc()});
            }
          }
        }
      }
    }
    return found;
  }

  /** The method of that name and descriptor declared in the class file; null if none. */
  private static MethodNode method(byte[] classFile, String name, String desc) {
    if (classFile == null) {
      return null;
    }
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    for (MethodNode m : node.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }
}
