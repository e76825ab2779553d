package io.jsplice.model.signing;

import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.Printable;
import io.jsplice.model.UpdatePackage;
import java.nio.file.Path;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class files of an update, checked as files before anything uses them: each parses completely
 * (header, constant pool, every member, every method's code), within {@link
 * UpdateLimits#maxConstantPoolEntries()}, declares the class its path names, and every class the
 * descriptor says the update installs, or an instance action computes with, has its file. A class
 * that fails is refused as a corrupt update with its path and why, so malformed bytes never reach a
 * class loader or an internal error.
 *
 * <p>Whether the code is also valid (what the JVM's verifier checks) depends on the classes it runs
 * with, so the agent checks that in the JVM ({@code ClassVerification}).
 */
final class UpdateClassFiles {
  private static final int MAGIC = 0xCAFEBABE;

  private UpdateClassFiles() {}

  static void check(UpdatePackage update, UpdateLimits limits, Path file, String name)
      throws CorruptUpdateException {
    for (Map.Entry<String, byte[]> entry : update.files().entrySet()) {
      String path = entry.getKey();
      if (!(path.startsWith(UpdatePackage.POST)
              || path.startsWith(UpdatePackage.INSTALL)
              || path.startsWith(UpdatePackage.HOOK))
          || !path.endsWith(".class")) {
        throw corrupt(file, name, path, "is not a class file of an update");
      }
      String expected = path.substring(path.indexOf('/') + 1, path.length() - ".class".length());
      String problem = problem(entry.getValue(), expected, limits);
      if (problem != null) {
        throw corrupt(file, name, path, problem);
      }
    }
    for (ClassUpdate c : update.update().classes()) {
      if (c.status() != ClassStatus.REMOVED && update.installBytes(c.name()).isEmpty()) {
        throw corrupt(
            file,
            name,
            UpdatePackage.INSTALL + UpdatePackage.classPath(c.name()),
            "is missing, yet the descriptor installs " + c.name());
      }
    }
    for (InstanceAction a : update.update().instanceActions()) {
      if (a.source() != null && update.installBytes(a.source()).isEmpty()) {
        throw corrupt(
            file,
            name,
            UpdatePackage.INSTALL + UpdatePackage.classPath(a.source()),
            "is missing, yet an instance action of the descriptor computes with "
                + Printable.of(a.source()));
      }
    }
    for (String hook : update.update().hooks()) {
      if (update.file(UpdatePackage.HOOK + UpdatePackage.classPath(hook)).isEmpty()) {
        throw corrupt(
            file,
            name,
            UpdatePackage.HOOK + UpdatePackage.classPath(hook),
            "is missing, yet the descriptor names the hook " + hook);
      }
    }
  }

  /** Why {@code bytes} are not a usable class file named {@code internalName}; null if they are. */
  static String problem(byte[] bytes, String internalName, UpdateLimits limits) {
    if (bytes.length < 10
        || ((bytes[0] & 0xff) << 24
                | (bytes[1] & 0xff) << 16
                | (bytes[2] & 0xff) << 8
                | (bytes[3] & 0xff))
            != MAGIC) {
      return "is not a class file (no 0xCAFEBABE header)";
    }
    int constants = (bytes[8] & 0xff) << 8 | (bytes[9] & 0xff);
    if (constants > limits.maxConstantPoolEntries()) {
      return "has "
          + constants
          + " constant pool entries, more than the "
          + limits.maxConstantPoolEntries()
          + " allowed";
    }
    try {
      ClassReader reader = new ClassReader(bytes);
      if (!reader.getClassName().equals(internalName)) {
        return "declares the class "
            + Printable.of(reader.getClassName())
            + ", not "
            + internalName;
      }
      reader.accept(EVERYTHING, 0);
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      return "is a malformed class file (" + Printable.of(e.toString()) + ")";
    }
  }

  /** Visits every part of a class, so that parsing reaches every byte of it. */
  private static final ClassVisitor EVERYTHING =
      new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
          return new MethodVisitor(Opcodes.ASM9) {};
        }
      };

  private static CorruptUpdateException corrupt(
      Path file, String name, String path, String problem) {
    return new CorruptUpdateException(
        file,
        name + " is not a valid update: " + UpdateFile.ROOT + Printable.of(path) + " " + problem,
        null);
  }
}
