package io.jsplice.create.live;

import io.jsplice.bootstrap.Patched;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Adds the {@link Patched} marker to a class being installed, so that the agent can confirm after a
 * switch that the JVM runs this code. Any marker the class already has (from an earlier update's
 * build) is replaced.
 */
final class PatchedMarker extends ClassVisitor {
  static final String DESCRIPTOR = Type.getDescriptor(Patched.class);

  private final String updateId;

  PatchedMarker(ClassVisitor next, String updateId) {
    super(Opcodes.ASM9, next);
    this.updateId = updateId;
  }

  @Override
  public void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    super.visit(version, access, name, signature, superName, interfaces);
    AnnotationVisitor marker = super.visitAnnotation(DESCRIPTOR, true);
    marker.visit("update", updateId);
    marker.visitEnd();
  }

  @Override
  public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
    return DESCRIPTOR.equals(descriptor) ? null : super.visitAnnotation(descriptor, visible);
  }
}
