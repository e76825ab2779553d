package io.jsplice.create.live;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** Bytecode for boxing, unboxing and default values, per JVM type. */
final class Boxing {
  private Boxing() {}

  static void box(MethodVisitor m, Type type) {
    if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
      return;
    }
    String wrapper = wrapper(type);
    m.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        wrapper,
        "valueOf",
        "(" + type.getDescriptor() + ")L" + wrapper + ";",
        false);
  }

  /** Expects an Object on the stack; leaves a value of {@code type}. */
  static void unbox(MethodVisitor m, Type type) {
    if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
      m.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
      return;
    }
    String wrapper = wrapper(type);
    m.visitTypeInsn(Opcodes.CHECKCAST, wrapper);
    m.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL,
        wrapper,
        type.getClassName() + "Value",
        "()" + type.getDescriptor(),
        false);
  }

  static void pushDefault(MethodVisitor m, Type type) {
    switch (type.getSort()) {
      case Type.LONG -> m.visitInsn(Opcodes.LCONST_0);
      case Type.FLOAT -> m.visitInsn(Opcodes.FCONST_0);
      case Type.DOUBLE -> m.visitInsn(Opcodes.DCONST_0);
      case Type.OBJECT, Type.ARRAY -> m.visitInsn(Opcodes.ACONST_NULL);
      default -> m.visitInsn(Opcodes.ICONST_0);
    }
  }

  private static String wrapper(Type type) {
    return switch (type.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      case Type.DOUBLE -> "java/lang/Double";
      default -> throw new IllegalArgumentException("not a primitive: " + type);
    };
  }
}
