package io.jsplice.create.diff;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of a class run only while objects or the class itself are initialized: its
 * constructors and static initializer, and private methods that only those (directly or through
 * other such methods) call.
 *
 * <p>Conservative: a method is <em>not</em> init-only when it is not private (it may be called from
 * outside the class set, or overridden), when any other class calls it (nestmates may call private
 * methods), when a method handle or {@code invokedynamic} refers to it (a lambda body or method
 * reference can run at any time), when nothing calls it, or when it is reachable only through a
 * cycle of private methods (the least fixed point leaves those out).
 */
final class InitOnlyReachability {
  /** Where init-only code is reached from. */
  enum Roots {
    CONSTRUCTORS,
    STATIC_INITIALIZER,
    BOTH;

    Roots and(Roots other) {
      return other == null || other == this ? this : BOTH;
    }
  }

  private InitOnlyReachability() {}

  /**
   * @param type the class, under the names its callers use
   * @param family every class of its family (its nest and the classes nested in them), the class
   *     itself included; only these can call its private methods
   * @return the init-only methods by key ({@code name + desc}), with where they are reached from
   */
  static Map<String, Roots> of(ClassNode type, Collection<ClassNode> family) {
    Map<String, Set<String>> callers = new HashMap<>();
    Set<String> escaping = new HashSet<>();
    for (ClassNode other : family) {
      for (MethodNode method : other.methods) {
        String caller = other == type ? method.name + method.desc : null;
        for (AbstractInsnNode insn : method.instructions) {
          collect(type.name, insn, caller, callers, escaping);
        }
      }
    }
    Map<String, Roots> initOnly = new HashMap<>();
    for (MethodNode method : type.methods) {
      if (method.name.equals("<init>")) {
        initOnly.put(method.name + method.desc, Roots.CONSTRUCTORS);
      } else if (method.name.equals("<clinit>")) {
        initOnly.put(method.name + method.desc, Roots.STATIC_INITIALIZER);
      }
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      for (MethodNode method : type.methods) {
        String key = method.name + method.desc;
        if ((method.access & Opcodes.ACC_PRIVATE) == 0
            || initOnly.containsKey(key)
            || escaping.contains(key)
            || !callers.containsKey(key)) {
          continue;
        }
        Roots roots = rootsIfAllInitOnly(callers.get(key), initOnly);
        if (roots != null) {
          initOnly.put(key, roots);
          grew = true;
        }
      }
    }
    return initOnly;
  }

  /** May return null (some caller is not init-only). */
  private static Roots rootsIfAllInitOnly(Set<String> callers, Map<String, Roots> initOnly) {
    Roots roots = null;
    for (String caller : callers) {
      Roots callerRoots = initOnly.get(caller);
      if (callerRoots == null) {
        return null;
      }
      roots = callerRoots.and(roots);
    }
    return roots;
  }

  /**
   * Records a call into {@code owner} from {@code caller} (null: from another class, which makes
   * the target escape), and every method handle to {@code owner} as escaping.
   */
  private static void collect(
      String owner,
      AbstractInsnNode insn,
      String caller,
      Map<String, Set<String>> callers,
      Set<String> escaping) {
    if (insn instanceof MethodInsnNode call && call.owner.equals(owner)) {
      String target = call.name + call.desc;
      if (caller == null) {
        escaping.add(target);
      } else {
        callers.computeIfAbsent(target, t -> new HashSet<>()).add(caller);
      }
    } else if (insn instanceof InvokeDynamicInsnNode indy) {
      escape(owner, indy.bsm, escaping);
      for (Object argument : indy.bsmArgs) {
        escape(owner, argument, escaping);
      }
    } else if (insn instanceof LdcInsnNode ldc) {
      escape(owner, ldc.cst, escaping);
    }
  }

  private static void escape(String owner, Object constant, Set<String> escaping) {
    if (constant instanceof Handle handle && handle.getOwner().equals(owner)) {
      escaping.add(handle.getName() + handle.getDesc());
    } else if (constant instanceof ConstantDynamic dynamic) {
      escape(owner, dynamic.getBootstrapMethod(), escaping);
      for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
        escape(owner, dynamic.getBootstrapMethodArgument(i), escaping);
      }
    }
  }
}
