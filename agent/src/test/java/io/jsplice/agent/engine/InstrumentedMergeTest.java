package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The update's methods merged into a class another agent instrumented: built by the real builder,
 * instrumented as an APM does (the result of one method wrapped), then loaded and run.
 */
class InstrumentedMergeTest {
  private static final String SOURCE =
      """
      package lib;
      public class Greeter {
        public static String greet(String name) {
          return "hello " + name + " (%VERSION%)";
        }
        public static String echo(String text) {
          return text;
        }
      }
      """;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  /** javac of the JDK under test, writing class files this test JVM can load. */
  private static Map<String, byte[]> compile(Jdk jdk, String version) {
    int here = Runtime.version().feature();
    Compiler javac =
        jdk.feature() > here
            ? Compiler.with(jdk).options("--release", Integer.toString(here))
            : Compiler.with(jdk);
    return javac.compile("lib/Greeter.java", SOURCE.replace("%VERSION%", version));
  }

  /** What {@code update} installs for lib.Greeter, and the original class file. */
  private static byte[][] originalAndInstalled(Jdk jdk) throws Exception {
    Map<String, byte[]> v1 = compile(jdk, "v1");
    UpdatePackage update =
        UpdateCreator.create(
                new ClassSet("v1", v1, List.of()),
                new ClassSet("v2", compile(jdk, "v2"), List.of()),
                new UpdateCreator.Request("fix", "", List.of(), List.of()))
            .update();
    return new byte[][] {v1.get("lib/Greeter"), update.installBytes("lib.Greeter").orElseThrow()};
  }

  /** Makes {@code method} return "[apm] " before its result, as the test APM agent does. */
  private static byte[] instrument(byte[] classFile, String method) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, desc, signature, exceptions);
            return !name.equals(method)
                ? next
                : new MethodVisitor(Opcodes.ASM9, next) {
                  @Override
                  public void visitInsn(int opcode) {
                    if (opcode == Opcodes.ARETURN) {
                      super.visitLdcInsn("[apm] ");
                      super.visitInsn(Opcodes.SWAP);
                      super.visitMethodInsn(
                          Opcodes.INVOKEVIRTUAL,
                          "java/lang/String",
                          "concat",
                          "(Ljava/lang/String;)Ljava/lang/String;",
                          false);
                    }
                    super.visitInsn(opcode);
                  }
                };
          }
        },
        0);
    return writer.toByteArray();
  }

  private static String call(byte[] classFile, String method) throws Exception {
    ClassLoader loader =
        new ClassLoader(InstrumentedMergeTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals("lib.Greeter")) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, classFile, 0, classFile.length);
          }
        };
    return (String)
        loader.loadClass("lib.Greeter").getMethod(method, String.class).invoke(null, "x");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void merge_replacesTheUpdatedMethods_andKeepsTheOtherAgentsWorkElsewhere(Jdk jdk)
      throws Exception {
    byte[][] classes = originalAndInstalled(jdk);
    byte[] handed = instrument(classes[0], "echo");

    InstrumentedMerge.Merged merged =
        InstrumentedMerge.merge("lib/Greeter", handed, classes[0], classes[1]);

    assertThat(merged.replaced()).containsExactly("greet(Ljava/lang/String;)Ljava/lang/String;");
    assertThat(call(merged.bytes(), "greet")).isEqualTo("hello x (v2)");
    assertThat(call(merged.bytes(), "echo")).isEqualTo("[apm] x");
    assertThat(PatchedMarkersProbe.updateOf(merged.bytes())).isEqualTo("fix");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void merge_refusesWhenTheOtherAgentChangedAReplacedMethod(Jdk jdk) throws Exception {
    byte[][] classes = originalAndInstalled(jdk);
    byte[] handed = instrument(classes[0], "greet");

    assertThatThrownBy(() -> InstrumentedMerge.merge("lib/Greeter", handed, classes[0], classes[1]))
        .isInstanceOf(InstrumentedMerge.Refused.class)
        .hasMessage("changed lib.Greeter.greet(java.lang.String), which the update replaces");
  }

  /** Reads the {@code @Patched} marker's update id from a class file. */
  private static final class PatchedMarkersProbe {
    static String updateOf(byte[] classFile) {
      String[] id = {null};
      new ClassReader(classFile)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public org.objectweb.asm.AnnotationVisitor visitAnnotation(
                    String descriptor, boolean visible) {
                  if (!descriptor.equals("Lio/jsplice/bootstrap/Patched;")) {
                    return null;
                  }
                  return new org.objectweb.asm.AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(String name, Object value) {
                      if (name.equals("update")) {
                        id[0] = (String) value;
                      }
                    }
                  };
                }
              },
              0);
      return id[0];
    }
  }
}
