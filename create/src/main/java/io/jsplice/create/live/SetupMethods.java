package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Setup methods: methods of any access that a class's constructors call on the object they build,
 * directly or through other such methods, and that write its state (assign its fields, or call into
 * objects its fields hold: a serializer's {@code setupSecurity()} adding to its permission list).
 * When the update changes one, objects built before it keep the old setup, as with a changed
 * constructor, although the method is neither private nor called only from constructors.
 */
final class SetupMethods {
  private SetupMethods() {}

  /**
   * @param post the fixed class
   * @param changed keys ({@code name+desc}) of the class's methods whose code the update changes
   * @return the changed setup methods, by key, sorted
   */
  static Set<String> changedSetup(ClassNode post, Set<String> changed) {
    Set<String> out = new TreeSet<>();
    for (String key : reachedFromConstructors(post)) {
      MethodNode method = find(post, key);
      if (!key.startsWith("<init>")
          && changed.contains(key)
          && method != null
          && writesState(post.name, method)) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * The keys of the class's constructors and of the methods they call on the object they build,
   * directly or through other such methods.
   */
  static Set<String> reachedFromConstructors(ClassNode post) {
    Set<String> reached = new HashSet<>();
    Deque<MethodNode> work = new ArrayDeque<>();
    for (MethodNode m : post.methods) {
      if (m.name.equals("<init>")) {
        work.add(m);
        reached.add(m.name + m.desc);
      }
    }
    while (!work.isEmpty()) {
      for (AbstractInsnNode insn : work.pop().instructions) {
        if (insn instanceof MethodInsnNode call
            && call.getOpcode() != Opcodes.INVOKESTATIC
            && call.owner.equals(post.name)
            && !call.name.equals("<init>")
            && reached.add(call.name + call.desc)) {
          MethodNode target = find(post, call.name + call.desc);
          if (target != null) {
            work.add(target);
          }
        }
      }
    }
    return reached;
  }

  /** Whether the method assigns a field of its class or calls a method on a value one holds. */
  private static boolean writesState(String owner, MethodNode method) {
    boolean readsField = false;
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof FieldInsnNode f && f.owner.equals(owner)) {
        if (f.getOpcode() == Opcodes.PUTFIELD) {
          return true;
        }
        readsField |= f.getOpcode() == Opcodes.GETFIELD;
      } else if (readsField
          && insn instanceof MethodInsnNode m
          && m.getOpcode() != Opcodes.INVOKESTATIC) {
        return true;
      }
    }
    return false;
  }

  private static MethodNode find(ClassNode node, String key) {
    List<MethodNode> methods = node.methods;
    for (MethodNode m : methods) {
      if ((m.name + m.desc).equals(key) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
        return m;
      }
    }
    return null;
  }
}
