package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

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

  /**
   * The state a setup method sets up, as a person reads it: the fields of its class it assigns
   * ({@code securityInitialized}) and those whose objects it calls into ({@code what securityMapper
   * holds}), following its calls on the object to other methods of the class. Sorted; {@code (no
   * field of its own)} when there is none.
   */
  static List<String> stateSetUp(ClassNode post, String key) {
    Set<String> assigned = new TreeSet<>();
    Set<String> held = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    Deque<MethodNode> work = new ArrayDeque<>();
    MethodNode first = find(post, key);
    if (first != null) {
      work.add(first);
      seen.add(key);
    }
    while (!work.isEmpty()) {
      MethodNode method = work.pop();
      Frame<SourceValue>[] frames;
      try {
        frames = new Analyzer<>(new SourceInterpreter()).analyze(post.name, method);
      } catch (AnalyzerException e) {
        frames = null;
      }
      for (int i = 0; i < method.instructions.size(); i++) {
        AbstractInsnNode insn = method.instructions.get(i);
        if (insn instanceof FieldInsnNode f
            && f.owner.equals(post.name)
            && f.getOpcode() == Opcodes.PUTFIELD) {
          assigned.add(f.name);
        } else if (insn instanceof MethodInsnNode m && m.getOpcode() != Opcodes.INVOKESTATIC) {
          if (m.owner.equals(post.name) && !m.name.equals("<init>")) {
            MethodNode target = find(post, m.name + m.desc);
            if (target != null && seen.add(m.name + m.desc)) {
              work.add(target);
            }
          } else if (frames != null && frames[i] != null) {
            Frame<SourceValue> frame = frames[i];
            SourceValue receiver =
                frame.getStack(frame.getStackSize() - Type.getArgumentTypes(m.desc).length - 1);
            for (AbstractInsnNode source : receiver.insns) {
              if (source instanceof FieldInsnNode f
                  && f.getOpcode() == Opcodes.GETFIELD
                  && f.owner.equals(post.name)) {
                held.add("what " + f.name + " holds");
              }
            }
          }
        }
      }
    }
    List<String> out = new java.util.ArrayList<>(assigned);
    out.addAll(held);
    return out.isEmpty() ? List.of("(no field of its own)") : out;
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
