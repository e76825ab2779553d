package io.jsplice.create.live;

import io.jsplice.bootstrap.MergedKinds;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites installed code for merged subclasses ({@link MergedSubclasses}), after {@link
 * CodeRewriter} has sent their members' uses to their stand-ins: the subclass as a type becomes its
 * final class (descriptors, frames, arrays, and the owner of inherited members), {@code instanceof}
 * and casts test the object's kind, and the stand-in stays the owner of the static members it holds
 * and the class a constant names.
 */
final class KindRemapper extends ClassVisitor {
  private static final String KINDS = Type.getInternalName(MergedKinds.class);

  private final InstalledWorld world;
  private final MergedSubclasses merged;
  private String self;

  KindRemapper(ClassVisitor next, InstalledWorld world) {
    super(Opcodes.ASM9, next);
    this.world = world;
    this.merged = world.merged;
  }

  @Override
  public void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    self = name;
    super.visit(
        version,
        access,
        name,
        merged.mentions(signature) ? null : signature,
        superName == null ? null : merged.remapType(superName),
        interfaces);
  }

  @Override
  public FieldVisitor visitField(
      int access, String name, String descriptor, String signature, Object value) {
    return super.visitField(
        access,
        name,
        merged.remap(descriptor),
        merged.mentions(signature) ? null : signature,
        value);
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    MethodVisitor next =
        super.visitMethod(
            access,
            name,
            merged.remap(descriptor),
            merged.mentions(signature) ? null : signature,
            exceptions);
    return next == null ? null : new Code(next);
  }

  private final class Code extends MethodVisitor {
    Code(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitTypeInsn(int op, String type) {
      if (merged.isMerged(type) && op == Opcodes.CHECKCAST) {
        super.visitLdcInsn(Type.getObjectType(type));
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            KINDS,
            "cast",
            "(Ljava/lang/Object;Ljava/lang/Class;)Ljava/lang/Object;",
            false);
        super.visitTypeInsn(Opcodes.CHECKCAST, merged.into(type));
        return;
      }
      if (merged.isMerged(type) && op == Opcodes.INSTANCEOF) {
        super.visitLdcInsn(Type.getObjectType(type));
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            KINDS,
            "isInstance",
            "(Ljava/lang/Object;Ljava/lang/Class;)Z",
            false);
        return;
      }
      if (merged.isMerged(type) && op == Opcodes.NEW) {
        world.refusals.add(
            self.replace('/', '.')
                + " creates "
                + type.replace('/', '.')
                + " in a way jsplice cannot send to its factory");
      }
      super.visitTypeInsn(op, merged.remapType(type));
    }

    @Override
    public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
      String newOwner = op == Opcodes.INVOKESTATIC ? owner : merged.remapType(owner);
      super.visitMethodInsn(op, newOwner, name, merged.remap(desc), itf);
    }

    @Override
    public void visitFieldInsn(int op, String owner, String name, String desc) {
      boolean isStatic = op == Opcodes.GETSTATIC || op == Opcodes.PUTSTATIC;
      super.visitFieldInsn(
          op, isStatic ? owner : merged.remapType(owner), name, merged.remap(desc));
    }

    @Override
    public void visitLdcInsn(Object value) {
      if (value instanceof Type t && t.getSort() == Type.ARRAY) {
        super.visitLdcInsn(Type.getType(merged.remap(t.getDescriptor())));
        return;
      }
      super.visitLdcInsn(value);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
      super.visitMultiANewArrayInsn(merged.remap(descriptor), dimensions);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
      if (merged.mentions(desc)) {
        world.refusals.add(
            self.replace('/', '.') + " links a call site over a class jsplice merges: " + desc);
      }
      super.visitInvokeDynamicInsn(name, desc, bsm, args);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
      super.visitFrame(type, numLocal, remap(local), numStack, remap(stack));
    }

    private Object[] remap(Object[] types) {
      if (types == null) {
        return null;
      }
      Object[] out = types.clone();
      for (int i = 0; i < out.length; i++) {
        if (out[i] instanceof String s) {
          out[i] = merged.remapType(s);
        }
      }
      return out;
    }

    @Override
    public void visitLocalVariable(
        String name, String descriptor, String signature, Label start, Label end, int index) {
      super.visitLocalVariable(
          name,
          merged.remap(descriptor),
          merged.mentions(signature) ? null : signature,
          start,
          end,
          index);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + 1, maxLocals); // a kind test pushes the kind
    }
  }
}
