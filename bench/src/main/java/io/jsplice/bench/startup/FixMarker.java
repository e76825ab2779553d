package io.jsplice.bench.startup;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The "fixed" release of one library class for the benchmark: the same class with one method that,
 * first thing, sets a system property. The change is what a small security fix is to the live
 * planner (a method body changed, nothing else), and the property tells, from outside, that the
 * patched code ran.
 */
final class FixMarker {
  private FixMarker() {}

  /**
   * @param classFile the class as released
   * @param method the method's name
   * @param descriptor the method's descriptor
   * @param property the system property the patched method sets to {@code "in force"}
   * @throws IllegalArgumentException if the class has no such method with code
   */
  static byte[] mark(byte[] classFile, String method, String descriptor, String property) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    boolean[] marked = {false};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, desc, signature, exceptions);
            if (!name.equals(method) || !desc.equals(descriptor)) {
              return next;
            }
            return new MethodVisitor(Opcodes.ASM9, next) {
              @Override
              public void visitCode() {
                super.visitCode();
                super.visitLdcInsn(property);
                super.visitLdcInsn("in force");
                super.visitMethodInsn(
                    Opcodes.INVOKESTATIC,
                    "java/lang/System",
                    "setProperty",
                    "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                    false);
                super.visitInsn(Opcodes.POP);
                marked[0] = true;
              }
            };
          }
        },
        0);
    if (!marked[0]) {
      throw new IllegalArgumentException(
          reader.getClassName() + " has no method " + method + descriptor + " with code");
    }
    return writer.toByteArray();
  }
}
