package io.jsplice.bench.apply;

import io.jsplice.testkit.Jars;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Small classes for a target to load so that the JVM holds as many classes as a large application
 * (the switch walks every loaded class). Generated with ASM: javac would take minutes for 20,000.
 */
final class FillerClasses {
  private FillerClasses() {}

  /**
   * A jar of {@code count} classes {@code fill.F00000...}, each with a constructor and a method.
   */
  static Path jar(Path file, int count) throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String name = String.format("fill/F%05d", i);
      classes.put(name, filler(name, i));
    }
    return Jars.write(file, classes);
  }

  private static byte[] filler(String name, int number) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
    writer.visit(
        Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor value =
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "value", "(I)I", null, null);
    value.visitCode();
    value.visitVarInsn(Opcodes.ILOAD, 0);
    value.visitLdcInsn(number);
    value.visitInsn(Opcodes.IADD);
    value.visitInsn(Opcodes.IRETURN);
    value.visitMaxs(0, 0);
    value.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
