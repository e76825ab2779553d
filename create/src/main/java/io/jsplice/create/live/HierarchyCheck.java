package io.jsplice.create.live;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Whether a class the update defines can be loaded against the classes the running JVM will have:
 * its superclass must be a class that is not final, its interfaces interfaces. The fixed release
 * may have made a final class open to subclasses, or a class an interface; the loaded classes keep
 * what they were, and defining the new class would fail ({@code IncompatibleClassChangeError}).
 */
final class HierarchyCheck {
  private HierarchyCheck() {}

  /** Why {@code classFile} cannot be defined in the installed world; empty if it can. */
  static List<String> problems(byte[] classFile, ClassHierarchy installed) {
    ClassReader reader = new ClassReader(classFile);
    String self = reader.getClassName().replace('/', '.');
    List<String> out = new ArrayList<>();
    String superName = reader.getSuperName();
    if (superName != null && (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0) {
      ClassHierarchy.ClassInfo info = installed.info(superName);
      if (info != null && info.isInterface()) {
        out.add(
            self
                + " extends "
                + superName.replace('/', '.')
                + ", which is an interface in the running JVM");
      } else if (info != null && (info.access() & Opcodes.ACC_FINAL) != 0) {
        out.add(
            self
                + " extends "
                + superName.replace('/', '.')
                + ", which is final in the running JVM (a loaded class's flags cannot change)");
      }
    }
    for (String i : reader.getInterfaces()) {
      ClassHierarchy.ClassInfo info = installed.info(i);
      if (info != null && !info.isInterface()) {
        out.add(
            self + " implements " + i.replace('/', '.') + ", which is a class in the running JVM");
      }
    }
    return out;
  }
}
