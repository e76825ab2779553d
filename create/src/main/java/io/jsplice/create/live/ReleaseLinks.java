package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What code of a fixed release needs from one of its dependencies that an older release of that
 * dependency lacks: classes it does not have, and members its classes (and their supertypes, as the
 * JVM resolves them) do not declare. Used to find the dependencies an update must carry too
 * (log4j-core 2.15.0 calls members only log4j-api 2.15.0 has).
 */
public final class ReleaseLinks {
  private ReleaseLinks() {}

  /**
   * The references of {@code code} into the newer dependency that the older one cannot satisfy, in
   * words ({@code org.apache.logging.log4j.util.Constants.EMPTY_BYTE_ARRAY}), in order.
   *
   * @param code class files of the fixed release that an update would install, by internal name
   * @param newer class files of the newer dependency, by internal name
   * @param older class files of the older dependency, by internal name, or null
   */
  public static List<String> unsatisfied(
      Map<String, byte[]> code, Map<String, byte[]> newer, Function<String, byte[]> older) {
    ClassHierarchy old = new ClassHierarchy(older);
    Set<String> out = new LinkedHashSet<>();
    for (byte[] classFile : code.values()) {
      new ClassReader(classFile)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String desc, String signature, String[] exceptions) {
                  return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(
                        int op, String owner, String method, String d, boolean itf) {
                      check(owner, method + d, method + d);
                    }

                    @Override
                    public void visitFieldInsn(int op, String owner, String field, String d) {
                      check(owner, field + ":" + d, field);
                    }

                    @Override
                    public void visitTypeInsn(int op, String type) {
                      check(type, null, null);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                      if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                        check(t.getInternalName(), null, null);
                      }
                    }

                    private void check(String owner, String key, String words) {
                      if (owner.startsWith("[") || !newer.containsKey(owner)) {
                        return; // not a class of the dependency
                      }
                      String dotted = owner.replace('/', '.');
                      if (old.info(owner) == null) {
                        out.add(dotted);
                      } else if (key != null
                          && old.declaringClass(owner, key) == null
                          && !inheritedFromUnknown(old, owner)) {
                        out.add(dotted + "." + words);
                      }
                    }
                  };
                }
              },
              ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return new ArrayList<>(out);
  }

  /** A member may come from a supertype that neither release nor the JDK has. */
  private static boolean inheritedFromUnknown(ClassHierarchy hierarchy, String owner) {
    List<String> pending = new ArrayList<>(List.of(owner));
    while (!pending.isEmpty()) {
      ClassHierarchy.ClassInfo info = hierarchy.info(pending.remove(0));
      if (info == null) {
        return true;
      }
      if (info.superName() != null) {
        pending.add(info.superName());
      }
      pending.addAll(info.interfaces());
    }
    return false;
  }
}
