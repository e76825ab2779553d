package io.jsplice.create.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.tools.JavaCompiler;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the original class files tell about how the library was compiled, so that javac here can
 * come as close to its bytecode as it allows: the class file version (for {@code --release}) and
 * whether methods carry parameter names ({@code -parameters}).
 *
 * <p>Read from the class each touched file is named for ({@code org/x/Foo.java}: {@code
 * org/x/Foo}), found on the classpath. Debug information is not detected: fingerprints ignore it,
 * and {@code -g} is always given so that patched code keeps line numbers in stack traces.
 *
 * @param classFileMajor the highest major version found; 0 when no original class was found
 * @param parameters whether some original method names an explicit parameter in a MethodParameters
 *     attribute (javac 21+ writes the attribute for mandated and synthetic parameters, such as an
 *     inner class's outer instance, even without {@code -parameters}, leaving the others unnamed)
 * @param sample the class the version was read from; null when none was found
 */
record OriginalBuild(int classFileMajor, boolean parameters, String sample) {
  private static final int JAVA_1_1_MAJOR_OFFSET = 44;
  private static final int IMPLICIT = Opcodes.ACC_MANDATED | Opcodes.ACC_SYNTHETIC;

  static OriginalBuild detect(Collection<String> unitPaths, ClasspathClasses originals)
      throws IOException {
    int major = 0;
    boolean parameters = false;
    String sample = null;
    for (String path : unitPaths) {
      String name = SourceTree.primaryClass(path);
      byte[] bytes = originals.find(name);
      if (bytes == null) {
        continue;
      }
      ClassReader reader = new ClassReader(bytes);
      int version = reader.readUnsignedShort(6);
      if (version > major) {
        major = version;
        sample = name;
      }
      parameters |= hasMethodParameters(reader);
    }
    return new OriginalBuild(major, parameters, sample);
  }

  /**
   * The javac options: {@code -g}, {@code --release} of the original version, or the lowest release
   * this javac supports above it; {@code -parameters} when detected. Without an original class,
   * javac's default release (this JDK's).
   *
   * @throws CompilerUnavailableException when this javac cannot produce class files that new
   */
  List<String> javacOptions(JavaCompiler compiler, int compilerFeature)
      throws CompilerUnavailableException {
    List<String> options = new ArrayList<>(List.of("-g"));
    if (classFileMajor > 0) {
      int wanted = classFileMajor - JAVA_1_1_MAJOR_OFFSET;
      if (wanted > compilerFeature) {
        throw new CompilerUnavailableException(
            sample
                + " is Java "
                + wanted
                + " bytecode, newer than this JDK's javac (Java "
                + compilerFeature
                + ") can produce: run jsplice create on JDK "
                + wanted
                + " or newer");
      }
      int release = wanted;
      while (release < compilerFeature && !supportsRelease(compiler, release)) {
        release++; // e.g. Java 6 bytecode: JDK 17's javac starts at --release 7
      }
      options.addAll(List.of("--release", Integer.toString(release)));
    }
    if (parameters) {
      options.add("-parameters");
    }
    return options;
  }

  /** Asks javac: an unsupported release fails when the task is created, before any work. */
  private static boolean supportsRelease(JavaCompiler compiler, int release) {
    try {
      compiler.getTask(
          null, null, d -> {}, List.of("--release", Integer.toString(release)), null, List.of());
      return true;
    } catch (IllegalArgumentException unsupported) {
      return false;
    }
  }

  private static boolean hasMethodParameters(ClassReader reader) {
    boolean[] found = {false};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitParameter(String parameter, int parameterAccess) {
                if (parameter != null && (parameterAccess & IMPLICIT) == 0) {
                  found[0] = true;
                }
              }
            };
          }
        },
        // Not SKIP_DEBUG: ASM counts MethodParameters as debug information.
        ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
    return found[0];
  }
}
