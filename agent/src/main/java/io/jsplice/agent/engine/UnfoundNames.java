package io.jsplice.agent.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * The classes a class file names (in its code, its descriptors and its signatures) that a class
 * loader cannot find, by class file, never by loading them. The JVM's verifier loads some of the
 * classes a class names while it links the class; where one of them is missing, linking fails with
 * {@link NoClassDefFoundError} (a class of an optional dependency the program does not have).
 *
 * <p>Not thread-safe: one per look.
 */
final class UnfoundNames {
  private final ClassLoader loader;
  private final Set<String> own;
  private final Map<String, Boolean> found = new HashMap<>();

  /**
   * @param own internal names of the classes the update itself defines or installs: found
   */
  UnfoundNames(ClassLoader loader, Set<String> own) {
    this.loader = loader;
    this.own = own;
  }

  /** Internal names {@code classFile} names that the loader cannot find, sorted; empty if none. */
  Set<String> of(byte[] classFile) {
    Set<String> out = new TreeSet<>();
    Remapper recorder =
        new Remapper() {
          @Override
          public String map(String internalName) {
            if (!isFound(internalName)) {
              out.add(internalName);
            }
            return internalName;
          }
        };
    ClassVisitor methodsToo =
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {};
          }
        };
    new ClassReader(classFile)
        .accept(
            new WhatLinkingReads(new ClassRemapper(methodsToo, recorder)),
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return out;
  }

  /**
   * Passes on only what linking can load: annotations, generic signatures and inner-class entries
   * are dropped (an annotation type of a dependency absent at run time is the common case).
   */
  private static final class WhatLinkingReads extends ClassVisitor {
    WhatLinkingReads(ClassVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      super.visit(version, access, name, null, superName, interfaces);
    }

    @Override
    public org.objectweb.asm.AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return null;
    }

    @Override
    public org.objectweb.asm.AnnotationVisitor visitTypeAnnotation(
        int typeRef, org.objectweb.asm.TypePath typePath, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {}

    @Override
    public org.objectweb.asm.FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      super.visitField(access, name, descriptor, null, value);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      return new MethodVisitor(
          Opcodes.ASM9, super.visitMethod(access, name, descriptor, null, exceptions)) {
        @Override
        public org.objectweb.asm.AnnotationVisitor visitAnnotation(String d, boolean v) {
          return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitAnnotationDefault() {
          return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitParameterAnnotation(
            int parameter, String d, boolean v) {
          return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitTypeAnnotation(
            int typeRef, org.objectweb.asm.TypePath typePath, String d, boolean v) {
          return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitInsnAnnotation(
            int typeRef, org.objectweb.asm.TypePath typePath, String d, boolean v) {
          return null;
        }

        @Override
        public org.objectweb.asm.AnnotationVisitor visitTryCatchAnnotation(
            int typeRef, org.objectweb.asm.TypePath typePath, String d, boolean v) {
          return null;
        }
      };
    }
  }

  private boolean isFound(String internalName) {
    if (own.contains(internalName)) {
      return true;
    }
    Boolean known = found.get(internalName); // no lambda spun in a first apply
    if (known == null) {
      String path = internalName + ".class";
      known =
          loader == null
              ? ClassLoader.getSystemResource(path) != null
              : loader.getResource(path) != null;
      found.put(internalName, known);
    }
    return known;
  }
}
