package io.jsplice.agent.engine;

import io.jsplice.model.fingerprint.ClassFingerprint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Installs an update's code into a class that another agent instrumented before jsplice's
 * transformer saw it, keeping that agent's changes.
 *
 * <p>The JVM runs transformers that cannot retransform first (their output of the class's load is
 * reused), then retransformation-capable ones in the order they were registered. So when an APM or
 * coverage agent was loaded ahead of jsplice, or jsplice was attached later, jsplice is handed
 * instrumented bytes, never the class file the update was built against, and returning the update's
 * class would throw the other agent's work away (or fail, if it added members).
 *
 * <p>The installed class of an update keeps the loaded class's shape and differs from the code it
 * replaces only in method bodies (and the {@code @Patched} marker). So when the class file the
 * class came from is exactly that code (checked by the caller), and the other agent left every
 * method the update replaces as it was, the result is the handed-over class with just those methods
 * replaced and the marker added: the fix, and everything the other agent did elsewhere. If the
 * other agent changed a method the update replaces, there is no safe combination; the merge is
 * refused with the method named.
 */
final class InstrumentedMerge {
  private InstrumentedMerge() {}

  /**
   * @param bytes the class to install
   * @param replaced the methods taken from the update, as {@code name(desc)}
   */
  record Merged(byte[] bytes, List<String> replaced) {}

  /** Why the update's code cannot be put into the instrumented class. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * @param handed what the JVM handed jsplice's transformer: the original class, instrumented
   * @param original the class file the class was loaded from, which is the update's pre code
   * @param installed the update's class for it, which replaces {@code original}
   */
  static Merged merge(String className, byte[] handed, byte[] original, byte[] installed)
      throws Refused {
    Map<String, String> before = ClassFingerprint.members(original);
    Map<String, String> after = ClassFingerprint.members(installed);
    Map<String, String> now = ClassFingerprint.members(handed);
    if (!before.keySet().equals(after.keySet())) {
      throw new Refused("the update's class for " + dotted(className) + " adds or drops members");
    }
    Set<String> replaced = new HashSet<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> member : after.entrySet()) {
      String key = member.getKey();
      if (member.getValue().equals(before.get(key))) {
        continue;
      }
      if (key.startsWith("F")) {
        throw new Refused("the update's class for " + dotted(className) + " changes a field");
      }
      if (!before.get(key).equals(now.get(key))) {
        throw new Refused("changed " + method(className, key) + ", which the update replaces");
      }
      replaced.add(key.substring(1));
      names.add(key.substring(1));
    }
    return new Merged(write(handed, installed, replaced), List.copyOf(names));
  }

  /** The handed class with the replaced methods and the class annotations of the installed one. */
  private static byte[] write(byte[] handed, byte[] installed, Set<String> replaced) {
    ClassReader handedReader = new ClassReader(handed);
    ClassReader installedReader = new ClassReader(installed);
    ClassWriter writer = new ClassWriter(handedReader, 0);
    Set<String> annotations = new HashSet<>();
    Set<String> innerClasses = new HashSet<>();
    // As ASM has it: minor version in the high 16 bits, major in the low ones.
    int installedVersion =
        installedReader.readUnsignedShort(4) << 16 | installedReader.readUnsignedShort(6);
    handedReader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            // Code taken from the update may use what its class file version allows (ldc of a
            // class constant needs 49): never go below it.
            int merged =
                (installedVersion & 0xFFFF) > (version & 0xFFFF) ? installedVersion : version;
            super.visit(merged, access, name, signature, superName, interfaces);
          }

          @Override
          public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            annotations.add(descriptor);
            return super.visitAnnotation(descriptor, visible);
          }

          @Override
          public void visitInnerClass(String name, String outerName, String innerName, int access) {
            innerClasses.add(name);
            super.visitInnerClass(name, outerName, innerName, access);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            return replaced.contains(name + desc)
                ? null
                : super.visitMethod(access, name, desc, signature, exceptions);
          }

          @Override
          public void visitEnd() {
            // Not super.visitEnd(): the installed class's parts go in first.
          }
        },
        0);
    installedReader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotations.contains(descriptor)
                ? null
                : writer.visitAnnotation(descriptor, visible);
          }

          @Override
          public void visitInnerClass(String name, String outerName, String innerName, int access) {
            if (innerClasses.add(name)) {
              writer.visitInnerClass(name, outerName, innerName, access);
            }
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            return replaced.contains(name + desc)
                ? writer.visitMethod(access, name, desc, signature, exceptions)
                : null;
          }
        },
        0);
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static String method(String className, String key) {
    String nameAndDesc = key.substring(1);
    int paren = nameAndDesc.indexOf('(');
    StringBuilder out = new StringBuilder(dotted(className));
    out.append('.').append(nameAndDesc, 0, paren).append('(');
    Type[] arguments = Type.getArgumentTypes(nameAndDesc.substring(paren));
    for (int i = 0; i < arguments.length; i++) {
      out.append(i == 0 ? "" : ", ").append(arguments[i].getClassName());
    }
    return out.append(')').toString();
  }

  private static String dotted(String internalName) {
    return internalName.replace('/', '.');
  }
}
