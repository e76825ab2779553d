package io.jsplice.bench.startup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An agent that does nothing: what any {@code -javaagent} costs the JVM by itself (the JVM opens
 * the jar, and does not use the class data sharing archive's module graph then).
 *
 * <p>Its class, {@value #PREMAIN_CLASS}, is made here and exists only in its jar, as an agent's
 * classes do: the JVM appends the jar to the class path and the system class loader finds the class
 * there only after looking in every jar before it (the application's, which it opens for that).
 * Were it a class of the benchmark's own, on the probe's class path, the no-op agent would skip
 * that part of any agent's cost.
 */
final class NoOpAgent {
  /** The agent's class; on no class path but the agent jar's. */
  static final String PREMAIN_CLASS = "jsplice.bench.noop.Premain";

  private NoOpAgent() {}

  /** Writes the agent's jar, its class with an empty {@code premain}, at {@code jar}. */
  static Path write(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", PREMAIN_CLASS);
    String entry = PREMAIN_CLASS.replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(entry));
      out.write(premainClass());
      out.closeEntry();
    }
    return jar;
  }

  /**
   * {@code public final class Premain { public static void premain(String, Instrumentation) {} }}
   */
  private static byte[] premainClass() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
        PREMAIN_CLASS.replace('.', '/'),
        null,
        "java/lang/Object",
        null);
    MethodVisitor premain =
        writer.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "premain",
            "(Ljava/lang/String;Ljava/lang/instrument/Instrumentation;)V",
            null,
            null);
    premain.visitCode();
    premain.visitInsn(Opcodes.RETURN);
    premain.visitMaxs(0, 0);
    premain.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
