package io.jsplice.create.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * An instance field the update adds that no code the program can have run on an object before the
 * update writes in the fixed release: objects built before the update hold its default value in the
 * fixed release too (an option the fixed release adds with a setter, and a copy constructor that
 * copies it, neither called from code the old release has).
 *
 * <p>Every object that exists when the update is applied was built and used by the old release's
 * code; in the fixed release the same history runs the fixed versions of those methods. The field
 * holds its default there when no method of the fixed release that the old release also has (same
 * class, name and descriptor) can reach a write of it. Reaching is followed backwards through the
 * whole fixed release: a method reaches a writer when it calls it (by name and descriptor, whatever
 * the owner, so that any override counts) or names it in a method handle (lambdas, method
 * references). A constructor that stores the field only into the object it builds writes no object
 * that existed before: it counts only for the constructors that delegate to it on their own object
 * ({@code this(...)}, {@code super(...)}), not for {@code new} expressions elsewhere. A writer that
 * overrides a method of {@code Object}, or whose class has a supertype outside the release, may be
 * called by the JDK: then the rule does not hold. Writes by reflection, {@code Unsafe} or JNI are
 * outside it.
 */
final class AddedCodeWriters {
  private static final Set<String> OBJECT_METHODS =
      Set.of(
          "toString()Ljava/lang/String;",
          "equals(Ljava/lang/Object;)Z",
          "hashCode()I",
          "clone()Ljava/lang/Object;",
          "finalize()V");

  private final Function<String, ClassNode> pre;
  private final Iterable<String> preNames;
  private final Function<String, ClassNode> post;
  private final Iterable<String> postNames;

  /**
   * @param pre the vulnerable release's classes by internal name (null if absent)
   * @param preNames the internal names of the vulnerable release's classes
   * @param post the fixed release's classes by internal name (null if absent)
   * @param postNames the internal names of the fixed release's classes
   */
  AddedCodeWriters(
      Function<String, ClassNode> pre,
      Iterable<String> preNames,
      Function<String, ClassNode> post,
      Iterable<String> postNames) {
    this.pre = pre;
    this.preNames = preNames;
    this.post = post;
    this.postNames = postNames;
  }

  /**
   * The default value of the added field {@code field} of {@code postClass} for objects built
   * before the update, when only code those objects cannot have run writes it; null when the rule
   * does not hold, or when only constructors of the class write the field ({@link CreationSites}
   * follows those).
   */
  CreationSites.Derivation derive(ClassNode postClass, FieldNode field) {
    Set<String> writers = new TreeSet<>(); // owner.name+desc
    boolean outsideConstructors = false;
    for (String name : postNames) {
      ClassNode k = post.apply(name);
      if (k == null) {
        continue;
      }
      for (MethodNode m : k.methods) {
        if (!writes(m, field)) {
          continue;
        }
        if (calledFromOutside(k, m)) {
          return null;
        }
        writers.add(k.name + "." + m.name + m.desc);
        outsideConstructors |= !k.name.equals(postClass.name) || !m.name.equals("<init>");
      }
    }
    if (!outsideConstructors) {
      return null; // the creation sites decide
    }
    Set<String> old = new HashSet<>();
    for (String name : preNames) {
      ClassNode k = pre.apply(name);
      if (k != null) {
        k.methods.forEach(m -> old.add(k.name + "." + m.name + m.desc));
      }
    }
    for (String key : reaching(writers)) {
      if (old.contains(key)) {
        return null;
      }
    }
    InsnList value = new InsnList();
    value.add(CreationSites.defaultValue(field.desc));
    return new CreationSites.Derivation(
        field.name,
        value,
        "objects built before the update keep "
            + field.name
            + " at its default: only code the old release lacks writes it ("
            + String.join(", ", writers.stream().map(AddedCodeWriters::dotted).toList())
            + "), and no method the old release has reaches that code in the fixed release");
  }

  /**
   * Whether the JDK may call the method on its own: it overrides a method of {@code Object}, or its
   * class has a supertype outside the release.
   */
  private boolean calledFromOutside(ClassNode k, MethodNode m) {
    if ((m.access & Opcodes.ACC_STATIC) != 0 || m.name.equals("<init>")) {
      return false;
    }
    if (OBJECT_METHODS.contains(m.name + m.desc)) {
      return true;
    }
    Deque<String> todo = new ArrayDeque<>();
    todo.add(k.superName);
    todo.addAll(k.interfaces);
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (s == null || s.equals("java/lang/Object") || !seen.add(s)) {
        continue;
      }
      ClassNode sk = post.apply(s);
      if (sk == null) {
        return true;
      }
      todo.add(sk.superName);
      todo.addAll(sk.interfaces);
    }
    return false;
  }

  private static boolean writes(MethodNode m, FieldNode field) {
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof FieldInsnNode put
          && put.getOpcode() == Opcodes.PUTFIELD
          && put.name.equals(field.name)
          && put.desc.equals(field.desc)) {
        return true;
      }
    }
    return false;
  }

  /** The methods of the fixed release that may reach a writer, the writers included. */
  private Set<String> reaching(Set<String> writers) {
    Set<String> out = new TreeSet<>(writers);
    Set<String> byCall = new HashSet<>(); // name+desc of the methods in out
    writers.forEach(w -> byCall.add(w.substring(w.indexOf('.') + 1)));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (String name : postNames) {
        ClassNode k = post.apply(name);
        if (k == null) {
          continue;
        }
        for (MethodNode m : k.methods) {
          String key = k.name + "." + m.name + m.desc;
          if (!out.contains(key) && reaches(m, out, byCall)) {
            out.add(key);
            byCall.add(m.name + m.desc);
            grew = true;
          }
        }
      }
    }
    return out;
  }

  /**
   * Whether a method calls or names one of the set: a constructor by its class, any other method by
   * name and descriptor (whatever class declares it, so that overrides count).
   */
  private static boolean reaches(MethodNode m, Set<String> set, Set<String> byCall) {
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof MethodInsnNode call
          && named(call.owner, call.name, call.desc, set, byCall)) {
        return true;
      }
      if (insn instanceof InvokeDynamicInsnNode indy) {
        for (Object arg : indy.bsmArgs) {
          if (arg instanceof Handle h
              && named(h.getOwner(), h.getName(), h.getDesc(), set, byCall)) {
            return true;
          }
        }
      }
      if (insn instanceof LdcInsnNode ldc
          && ldc.cst instanceof Handle h
          && named(h.getOwner(), h.getName(), h.getDesc(), set, byCall)) {
        return true;
      }
    }
    return false;
  }

  private static boolean named(
      String owner, String name, String desc, Set<String> set, Set<String> byCall) {
    return name.equals("<init>")
        ? set.contains(owner + "." + name + desc)
        : byCall.contains(name + desc);
  }

  private static String dotted(String key) {
    int dot = key.indexOf('.');
    return key.substring(0, dot).replace('/', '.') + key.substring(dot);
  }
}
