package io.jsplice.bench.sweep;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Resolves every method and field reference of one installed class as the JVM does when the code
 * first runs (JVMS 5.4.3, 5.4.4): linking a class verifies it but resolves nothing, so a call to a
 * member the running JVM lacks, a private member of another class, a static member reached as an
 * instance one (or back), or a final field written from outside its initializer would pass the
 * verifier and throw in the application later (NoSuchMethodError, IllegalAccessError,
 * IncompatibleClassChangeError). References to classes that cannot be loaded here (an optional
 * dependency absent from the class path) are skipped: the class is then only partly checked.
 */
final class ReferenceResolution {
  private ReferenceResolution() {}

  /**
   * The first reference of {@code bytes} (the class file of {@code self}) that would not resolve,
   * described for a person; null when every reference that can be checked resolves.
   */
  static String firstFailure(Class<?> self, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    int version = reader.readInt(4) & 0xFFFF;
    String[] failure = {null};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            String where = name + descriptor;
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMethodInsn(
                  int op, String owner, String member, String desc, boolean itf) {
                if (failure[0] == null) {
                  String why = skipAbsent(() -> method(self, op, owner, member, desc, itf));
                  failure[0] = why == null ? null : where + ": " + why;
                }
              }

              @Override
              public void visitFieldInsn(int op, String owner, String member, String desc) {
                if (failure[0] == null) {
                  String why =
                      skipAbsent(() -> field(self, version, name, op, owner, member, desc));
                  failure[0] = why == null ? null : where + ": " + why;
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return failure[0];
  }

  /** Null when the check needs a class that cannot be loaded here (through a member's types). */
  private static String skipAbsent(java.util.function.Supplier<String> check) {
    try {
      return check.get();
    } catch (LinkageError | TypeNotPresentException absent) {
      return null;
    }
  }

  private static String method(
      Class<?> self, int op, String owner, String name, String desc, boolean itf) {
    Class<?> type = load(self, owner);
    if (type == null) {
      return null;
    }
    String ref = owner + "." + name + desc;
    if (!accessibleClass(self, type)) {
      return "IllegalAccessError: class " + owner + " from " + self.getName();
    }
    if (type.isInterface() != itf) {
      return "IncompatibleClassChangeError: "
          + ref
          + " is referred to as a member of an "
          + (itf ? "interface" : "class");
    }
    if (op == Opcodes.INVOKEINTERFACE && !type.isInterface()
        || op == Opcodes.INVOKEVIRTUAL && type.isInterface()) {
      return "IncompatibleClassChangeError: " + ref + " called with the wrong invoke instruction";
    }
    Member found;
    if (name.equals("<init>")) {
      found = constructor(type, desc);
    } else {
      found = findMethod(type, name, desc);
    }
    if (found == null) {
      return "NoSuchMethodError: " + ref;
    }
    boolean isStatic = Modifier.isStatic(found.getModifiers());
    if (isStatic != (op == Opcodes.INVOKESTATIC)) {
      return "IncompatibleClassChangeError: "
          + ref
          + (isStatic
              ? " is static, called as an instance method"
              : " is an instance method, called as static");
    }
    return accessible(self, found)
        ? null
        : "IllegalAccessError: " + ref + " from " + self.getName();
  }

  private static String field(
      Class<?> self, int version, String method, int op, String owner, String name, String desc) {
    Class<?> type = load(self, owner);
    if (type == null) {
      return null;
    }
    String ref = owner + "." + name + ":" + desc;
    if (!accessibleClass(self, type)) {
      return "IllegalAccessError: class " + owner + " from " + self.getName();
    }
    Field found = findField(type, name, desc);
    if (found == null) {
      return "NoSuchFieldError: " + ref;
    }
    boolean isStatic = Modifier.isStatic(found.getModifiers());
    if (isStatic != (op == Opcodes.GETSTATIC || op == Opcodes.PUTSTATIC)) {
      return "IncompatibleClassChangeError: " + ref + (isStatic ? " is static" : " is not static");
    }
    if (!accessible(self, found)) {
      return "IllegalAccessError: " + ref + " from " + self.getName();
    }
    boolean write = op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC;
    if (write && Modifier.isFinal(found.getModifiers())) {
      String initializer = isStatic ? "<clinit>" : "<init>";
      boolean allowed =
          found.getDeclaringClass() == self && (version < Opcodes.V9 || method.equals(initializer));
      if (!allowed) {
        return "IllegalAccessError: final field "
            + ref
            + " written from "
            + self.getName()
            + "."
            + method;
      }
    }
    return null;
  }

  /** The class as {@code self}'s loader resolves it; null when it cannot be loaded here. */
  private static Class<?> load(Class<?> self, String owner) {
    if (owner.startsWith("[")) {
      return null; // clone() and the members of Object: always there
    }
    try {
      return Class.forName(owner.replace('/', '.'), false, self.getClassLoader());
    } catch (ClassNotFoundException | LinkageError | TypeNotPresentException absent) {
      return null;
    }
  }

  private static Member constructor(Class<?> type, String desc) {
    for (var c : type.getDeclaredConstructors()) {
      if (Type.getConstructorDescriptor(c).equals(desc)) {
        return c;
      }
    }
    return null;
  }

  /** JVMS 5.4.3.3/5.4.3.4: the class and its superclasses, then the superinterfaces. */
  private static Method findMethod(Class<?> type, String name, String desc) {
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      for (Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(name)
            && (Type.getMethodDescriptor(m).equals(desc) || signaturePolymorphic(m))) {
          return m;
        }
      }
    }
    if (type.isInterface()) {
      Method inObject = findMethod(Object.class, name, desc);
      if (inObject != null && Modifier.isPublic(inObject.getModifiers())) {
        return inObject;
      }
    }
    for (Class<?> i : superinterfaces(type)) {
      for (Method m : i.getDeclaredMethods()) {
        if (m.getName().equals(name)
            && Type.getMethodDescriptor(m).equals(desc)
            && !Modifier.isPrivate(m.getModifiers())
            && !Modifier.isStatic(m.getModifiers())) {
          return m;
        }
      }
    }
    return null;
  }

  /** MethodHandle.invoke and the like: native, varargs, any descriptor (JVMS 2.9.3). */
  private static boolean signaturePolymorphic(Method m) {
    Class<?> k = m.getDeclaringClass();
    return (k == java.lang.invoke.MethodHandle.class || k == java.lang.invoke.VarHandle.class)
        && m.isVarArgs()
        && Modifier.isNative(m.getModifiers());
  }

  /** JVMS 5.4.3.2: the class, its superinterfaces, then its superclass, recursively. */
  private static Field findField(Class<?> type, String name, String desc) {
    for (Field f : type.getDeclaredFields()) {
      if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(desc)) {
        return f;
      }
    }
    for (Class<?> i : type.getInterfaces()) {
      Field f = findField(i, name, desc);
      if (f != null) {
        return f;
      }
    }
    return type.getSuperclass() == null ? null : findField(type.getSuperclass(), name, desc);
  }

  private static Set<Class<?>> superinterfaces(Class<?> type) {
    Set<Class<?>> out = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      todo.addAll(java.util.List.of(k.getInterfaces()));
    }
    while (!todo.isEmpty()) {
      Class<?> i = todo.pop();
      if (out.add(i)) {
        todo.addAll(java.util.List.of(i.getInterfaces()));
      }
    }
    return out;
  }

  /**
   * A class is public or in the same run-time package. A nested class declared protected is public
   * in its class file, one declared private is package-private there.
   */
  private static boolean accessibleClass(Class<?> self, Class<?> type) {
    return (type.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0
        || samePackage(self, type);
  }

  private static boolean samePackage(Class<?> a, Class<?> b) {
    return a.getClassLoader() == b.getClassLoader()
        && a.getPackageName().equals(b.getPackageName());
  }

  /** JVMS 5.4.4, without the protected receiver rule (the verifier checks that one). */
  private static boolean accessible(Class<?> self, Member member) {
    Class<?> declaring = member.getDeclaringClass();
    int access = member.getModifiers();
    if (Modifier.isPublic(access)) {
      return true;
    }
    if (Modifier.isPrivate(access)) {
      return declaring == self || declaring.getNestHost() == self.getNestHost();
    }
    boolean samePackage = samePackage(self, declaring);
    if (Modifier.isProtected(access)) {
      return samePackage || declaring.isAssignableFrom(self);
    }
    return samePackage;
  }
}
