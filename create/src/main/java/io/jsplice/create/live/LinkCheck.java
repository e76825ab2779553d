package io.jsplice.create.live;

import io.jsplice.model.Applicability;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Whether installed code refers only to members the running JVM will have. Owners jsplice cannot
 * see (dependencies outside the update's class sets) are assumed to link; classes it knows (the
 * release, the update's own classes in their installed shape, the JDK) are checked member by
 * member, through their supertypes.
 */
final class LinkCheck {
  private LinkCheck() {}

  /**
   * Refuses the classes whose installed code refers to a member the running JVM will not have: a
   * method of a class the update leaves out (--exclude), or one that only the fixed release's
   * dependencies have. Such code would throw NoSuchMethodError in the application.
   *
   * @param files the update's files; those under {@link UpdatePackage#INSTALL} are checked
   * @param classes the class entries, replaced in place by refused ones
   */
  static void refuseUnlinked(
      Map<String, byte[]> files,
      List<ClassUpdate> classes,
      ClassHierarchy installed,
      java.util.function.Predicate<String> absent) {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (!file.getKey().startsWith(UpdatePackage.INSTALL)) {
        continue;
      }
      String name = installedClassName(file.getKey());
      List<String> missing = missing(file.getValue(), installed, absent);
      if (!missing.isEmpty()) {
        refuse(
            name,
            missing.stream()
                .map(
                    m ->
                        name
                            + " would use "
                            + m
                            + ", which the running JVM will not have (a class the update"
                            + " leaves out, or a newer dependency)")
                .toList(),
            classes);
        continue;
      }
      String unverifiable = unverifiable(file.getValue(), installed);
      if (unverifiable != null) {
        refuse(
            name,
            List.of(
                name
                    + " would be rejected by the JVM's verifier, because the running JVM keeps"
                    + " its loaded classes' hierarchy (a class the update leaves out, or one whose"
                    + " superclass or interfaces change): "
                    + unverifiable),
            classes);
      }
    }
  }

  /** The dotted name of the class installed from {@code INSTALL/org/example/Foo.class}. */
  private static String installedClassName(String path) {
    return path.substring(UpdatePackage.INSTALL.length(), path.length() - ".class".length())
        .replace('/', '.');
  }

  private static void refuse(String name, List<String> why, List<ClassUpdate> classes) {
    for (int i = 0; i < classes.size(); i++) {
      ClassUpdate c = classes.get(i);
      if (c.name().equals(name)) {
        List<String> notes = new ArrayList<>(why);
        notes.addAll(c.applicability().notes());
        classes.set(
            i,
            new ClassUpdate(
                c.name(),
                c.status(),
                c.preFingerprint(),
                c.postFingerprint(),
                c.changes(),
                new Applicability(Verdict.NOT_LIVE, Set.of(), notes)));
      }
    }
  }

  /**
   * Why the JVM's verifier would reject {@code classFile} where the running JVM's classes have the
   * hierarchy {@code installed} gives them; null when ASM's verifier finds nothing. Classes it does
   * not know and interfaces take any value, as HotSpot's verifier treats interfaces: this check
   * must not refuse valid code.
   */
  static String unverifiable(byte[] classFile, ClassHierarchy installed) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
    for (MethodNode method : node.methods) {
      if (method.instructions.size() == 0) {
        continue;
      }
      try {
        new Analyzer<>(new HierarchyVerifier(node.name, installed, true))
            .analyze(node.name, method);
      } catch (AnalyzerException e) {
        return method.name + method.desc + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** The members {@code classFile} refers to that a known class does not have, in words. */
  static List<String> missing(
      byte[] classFile, ClassHierarchy installed, java.util.function.Predicate<String> absent) {
    Set<String> out = new LinkedHashSet<>();
    String[] self = new String[1];
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visit(
                  int version,
                  int access,
                  String name,
                  String signature,
                  String superName,
                  String[] interfaces) {
                self[0] = name;
                if (superName != null && absent.test(superName)) {
                  out.add(superName.replace('/', '.'));
                }
                for (String i : interfaces) {
                  if (absent.test(i)) {
                    out.add(i.replace('/', '.'));
                  }
                }
              }

              @Override
              public MethodVisitor visitMethod(
                  int access,
                  String name,
                  String descriptor,
                  String signature,
                  String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int op, String owner, String method, String desc, boolean itf) {
                    check(owner, method + desc, owner.replace('/', '.') + "." + method + desc);
                  }

                  @Override
                  public void visitFieldInsn(int op, String owner, String field, String desc) {
                    check(owner, field + ":" + desc, owner.replace('/', '.') + "." + field);
                  }

                  @Override
                  public void visitTypeInsn(int op, String type) {
                    String element =
                        org.objectweb.asm.Type.getObjectType(type).getSort()
                                == org.objectweb.asm.Type.ARRAY
                            ? org.objectweb.asm.Type.getObjectType(type)
                                .getElementType()
                                .getInternalName()
                            : type;
                    if (absent.test(element)) {
                      out.add(element.replace('/', '.'));
                    }
                  }

                  @Override
                  public void visitLdcInsn(Object value) {
                    if (value instanceof org.objectweb.asm.Type t
                        && t.getSort() == org.objectweb.asm.Type.OBJECT
                        && absent.test(t.getInternalName())) {
                      out.add(t.getInternalName().replace('/', '.'));
                    }
                  }

                  private void check(String owner, String key, String words) {
                    if (owner.startsWith("[") || owner.equals(self[0])) {
                      return;
                    }
                    if (absent.test(owner)) {
                      out.add(owner.replace('/', '.'));
                      return;
                    }
                    if (installed.info(owner) == null) {
                      return; // unknown: a dependency jsplice was not given
                    }
                    if (installed.declaringClass(owner, key) == null
                        && !signaturePolymorphic(owner, key)
                        && !inheritedFromUnknown(owner)) {
                      out.add(words);
                    }
                  }

                  /**
                   * A call to a signature-polymorphic method (JVMS 2.9.3: native varargs methods of
                   * MethodHandle and VarHandle taking one Object[]) names the call site's own
                   * descriptor, which the class never declares: h2 2.3.230's {@code
                   * VarHandle.get([BI)J} was refused as a member the JVM would not have.
                   */
                  private boolean signaturePolymorphic(String owner, String key) {
                    if (!owner.equals("java/lang/invoke/MethodHandle")
                        && !owner.equals("java/lang/invoke/VarHandle")) {
                      return false;
                    }
                    String name = key.substring(0, key.indexOf('('));
                    int polymorphic = Opcodes.ACC_NATIVE | Opcodes.ACC_VARARGS;
                    return installed.info(owner).members().entrySet().stream()
                        .anyMatch(
                            m ->
                                m.getKey().startsWith(name + "([Ljava/lang/Object;)")
                                    && (m.getValue() & polymorphic) == polymorphic);
                  }

                  /** A member may come from a supertype jsplice cannot see. */
                  private boolean inheritedFromUnknown(String owner) {
                    List<String> pending = new ArrayList<>(List.of(owner));
                    while (!pending.isEmpty()) {
                      ClassHierarchy.ClassInfo info = installed.info(pending.remove(0));
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
                };
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ArrayList<>(out);
  }
}
