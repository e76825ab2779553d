package io.jsplice.create.live;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * ASM's type-tracking verifier, answering type questions from a {@link ClassHierarchy} instead of
 * loading classes.
 */
final class HierarchyVerifier extends SimpleVerifier {
  private final ClassHierarchy hierarchy;
  private final boolean lenient;

  /**
   * @param lenient whether a class the hierarchy does not know, or an interface, takes any value
   *     (what HotSpot's verifier does with interfaces; an unknown class is a dependency jsplice
   *     cannot see, which must not make valid code look invalid); strict answers no for them
   */
  HierarchyVerifier(String owner, ClassHierarchy hierarchy, boolean lenient) {
    super(Opcodes.ASM9, Type.getObjectType(owner), null, null, false);
    this.hierarchy = hierarchy;
    this.lenient = lenient;
  }

  @Override
  protected boolean isInterface(Type type) {
    ClassHierarchy.ClassInfo info = hierarchy.info(type.getInternalName());
    return info != null && info.isInterface();
  }

  @Override
  protected Type getSuperClass(Type type) {
    ClassHierarchy.ClassInfo info = hierarchy.info(type.getInternalName());
    return info == null || info.superName() == null
        ? (type.getInternalName().equals("java/lang/Object")
            ? null
            : Type.getObjectType("java/lang/Object"))
        : Type.getObjectType(info.superName());
  }

  @Override
  protected boolean isAssignableFrom(Type type1, Type type2) {
    if (type1.equals(type2) || type1.getInternalName().equals("java/lang/Object")) {
      return true;
    }
    if (type1.getSort() == Type.ARRAY || type2.getSort() == Type.ARRAY) {
      return lenient || type1.equals(type2);
    }
    if (!lenient) {
      return hierarchy.isSubtype(type2.getInternalName(), type1.getInternalName());
    }
    ClassHierarchy.ClassInfo target = hierarchy.info(type1.getInternalName());
    if (target == null || target.isInterface()) {
      return true;
    }
    for (String t = type2.getInternalName(); t != null; ) {
      if (t.equals(type1.getInternalName())) {
        return true;
      }
      ClassHierarchy.ClassInfo info = hierarchy.info(t);
      if (info == null) {
        return true;
      }
      t = info.superName();
    }
    return false;
  }

  @Override
  protected Class<?> getClass(Type type) {
    throw new UnsupportedOperationException("no class loading while planning");
  }
}
