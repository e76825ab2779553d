package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Shapes the installed form of a patched class: the fixed code, in the shape of the loaded class. A
 * stock JVM redefines a class only if its members, their flags and its nest stay as they were, so
 * the installed class keeps every old member (removed ones with their old code, for callers that
 * still run it), the old flags, and the old nest; what the fix adds lives in the companion.
 */
final class InstalledClassBuilder {
  private InstalledClassBuilder() {}

  /**
   * @param pre the loaded class
   * @param post the fixed class, synthetic names already mapped to the running JVM's
   * @param moved keys of added methods that live in the companion
   * @param schema the comparison of the two
   * @return a new node; {@code post} is not modified
   */
  static ClassNode shape(
      ClassNode pre, ClassNode post, Set<String> moved, SchemaComparison schema) {
    ClassNode out = copy(post);
    out.access = pre.access;
    out.interfaces = new ArrayList<>(pre.interfaces); // SchemaComparison: same supertypes
    out.nestHostClass = pre.nestHostClass;
    out.nestMembers = pre.nestMembers == null ? null : new ArrayList<>(pre.nestMembers);
    out.permittedSubclasses =
        pre.permittedSubclasses == null ? null : new ArrayList<>(pre.permittedSubclasses);
    out.innerClasses = innerClasses(pre, post);

    Map<String, MethodNode> preMethods = SchemaComparison.methods(pre);
    List<MethodNode> methods = new ArrayList<>();
    for (MethodNode m : out.methods) {
      String key = m.name + m.desc;
      if (moved.contains(key)
          || schema.addedMethods.containsKey(key)
          || schema.removedMethods.containsKey(key)
          || schema.addedConstructors.containsKey(key)) {
        continue; // lives in the companion, or cannot be installed (a constructor)
      }
      MethodNode old = preMethods.get(key);
      if (old != null) {
        m.access = old.access;
      }
      methods.add(m);
    }
    for (MethodNode removed : schema.removedMethods.values()) {
      methods.add(removed); // old code for old callers
    }
    boolean hadClinit = preMethods.containsKey("<clinit>()V");
    methods.removeIf(m -> m.name.equals("<clinit>") && !hadClinit);
    if (hadClinit && methods.stream().noneMatch(m -> m.name.equals("<clinit>"))) {
      methods.add(emptyClinit());
    }
    out.methods = methods;

    // HotSpot compares fields in order: the installed class lists exactly the loaded class's
    // fields, in its order (the fixed class's version of each, where it has one).
    Map<String, FieldNode> postFields = SchemaComparison.fields(out);
    List<FieldNode> fields = new ArrayList<>();
    for (FieldNode old : pre.fields) {
      String key = old.name + ":" + old.desc;
      FieldNode f = postFields.getOrDefault(key, old);
      f.access = old.access;
      f.value = old.value; // a ConstantValue cannot change on a loaded class
      fields.add(f);
    }
    out.fields = fields;
    return out;
  }

  /** The loaded class's entries, plus the fixed class's entries for classes it does not list. */
  private static List<InnerClassNode> innerClasses(ClassNode pre, ClassNode post) {
    Map<String, InnerClassNode> merged = new LinkedHashMap<>();
    pre.innerClasses.forEach(i -> merged.put(i.name, i));
    post.innerClasses.forEach(i -> merged.putIfAbsent(i.name, i));
    return new ArrayList<>(merged.values());
  }

  private static MethodNode emptyClinit() {
    MethodNode clinit = new MethodNode(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    clinit.instructions.add(new InsnNode(Opcodes.RETURN));
    clinit.maxStack = 0;
    clinit.maxLocals = 0;
    return clinit;
  }

  static ClassNode copy(ClassNode source) {
    ClassNode copy = new ClassNode();
    source.accept(copy);
    return copy;
  }

  /**
   * A class new in the fixed release: nothing relies on its private members being private. An
   * interface's methods must be public or private (JVMS 4.6, a ClassFormatError otherwise:
   * commons-lang3 3.18.0's new functional interfaces hold their constants' lambdas): its private
   * static methods become public, which no class inherits; its private instance methods stay
   * private, since a public one would be a default method that implementations could override.
   */
  static ClassNode relaxNewClass(ClassNode post, Set<String> newClasses) {
    ClassNode out = copy(post);
    boolean isInterface = (out.access & Opcodes.ACC_INTERFACE) != 0;
    for (MethodNode m : out.methods) {
      if (!isInterface) {
        m.access &= ~Opcodes.ACC_PRIVATE;
      } else if ((m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC))
          == (Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC)) {
        m.access = (m.access & ~Opcodes.ACC_PRIVATE) | Opcodes.ACC_PUBLIC;
      }
    }
    for (FieldNode f : out.fields) {
      f.access &= ~Opcodes.ACC_PRIVATE;
    }
    if (out.nestHostClass != null && !newClasses.contains(out.nestHostClass)) {
      out.nestHostClass = null; // its host is loaded and cannot list it; it stands alone
    }
    if (out.nestMembers != null) {
      out.nestMembers.removeIf(m -> !newClasses.contains(m));
      if (out.nestMembers.isEmpty()) {
        out.nestMembers = null;
      }
    }
    return out;
  }
}
