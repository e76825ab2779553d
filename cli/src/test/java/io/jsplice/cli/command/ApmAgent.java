package io.jsplice.cli.command;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;

/**
 * A stand-in for an APM or coverage agent, built as its own agent jar: through a
 * retransformation-capable transformer it makes {@code lib.Greeter.greet} (or the method its agent
 * option names) return {@code "[apm] "} before what the code returns, in every class loader, as the
 * class loads and on every retransformation. {@code apm.Apm.retransform()} (the {@link
 * LibraryHost}'s {@code apm-retransform} command) retransforms the loaded {@code lib.Greeter}
 * classes again, as such agents do when their configuration changes. It bundles its own ASM,
 * unrelocated.
 */
final class ApmAgent {
  private static final String SOURCE =
      """
      package apm;

      import java.lang.instrument.ClassFileTransformer;
      import java.lang.instrument.Instrumentation;
      import java.security.ProtectionDomain;
      import java.util.Arrays;
      import org.objectweb.asm.ClassReader;
      import org.objectweb.asm.ClassVisitor;
      import org.objectweb.asm.ClassWriter;
      import org.objectweb.asm.MethodVisitor;
      import org.objectweb.asm.Opcodes;

      public final class Apm implements ClassFileTransformer {
        private static volatile Instrumentation instrumentation;

        public static void premain(String options, Instrumentation inst) {
          agentmain(options, inst);
        }

                public static void agentmain(String options, Instrumentation inst) {
          instrumentation = inst;
          inst.addTransformer(new Apm(options == null || options.isEmpty() ? "greet" : options), true);
        }

        private final String method;

        private Apm(String method) {
          this.method = method;
        }

        public static void retransform() throws Exception {
          instrumentation.retransformClasses(
              Arrays.stream(instrumentation.getAllLoadedClasses())
                  .filter(c -> c.getName().equals("lib.Greeter"))
                  .toArray(Class<?>[]::new));
        }

        @Override
        public byte[] transform(
            Module module,
            ClassLoader loader,
            String name,
            Class<?> redefined,
            ProtectionDomain domain,
            byte[] bytes) {
          if (!"lib/Greeter".equals(name)) {
            return null;
          }
          try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
                        reader.accept(new WrapGreet(writer, method), 0);
            System.out.println(
                "apm instrumented lib.Greeter" + (redefined == null ? " as it loaded" : " again"));
            return writer.toByteArray();
          } catch (RuntimeException e) {
            System.out.println("apm could not instrument lib.Greeter: " + e);
            return null;
          }
        }

                private static final class WrapGreet extends ClassVisitor {
          private final String method;

          WrapGreet(ClassVisitor next, String method) {
            super(Opcodes.ASM9, next);
            this.method = method;
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, desc, signature, exceptions);
                        if (!name.equals(method)) {
              return next;
            }
            return new MethodVisitor(Opcodes.ASM9, next) {
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
        }
      }
      """;

  private static Path jar;

  private ApmAgent() {}

  /** The agent jar, built on first use under {@code target/}. */
  static synchronized Path jar() {
    if (jar == null) {
      try {
        Path asm =
            Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, byte[]> classes = new TreeMap<>(asmClasses(asm));
        classes.putAll(
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(asm)
                .compile("apm/Apm.java", SOURCE));
        Path file = Path.of("target", "test-programs", "apm", "apm-agent.jar").toAbsolutePath();
        Files.deleteIfExists(file);
        jar =
            Jars.write(
                file,
                classes,
                Map.of(
                    "Premain-Class", "apm.Apm",
                    "Agent-Class", "apm.Apm",
                    "Can-Retransform-Classes", "true"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return jar;
  }

  /** ASM's classes in {@code asmJar}, by internal name, without its module descriptors. */
  private static Map<String, byte[]> asmClasses(Path asmJar) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (ZipFile zip = new ZipFile(asmJar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        String name = entry.getName();
        if (name.startsWith("org/objectweb/asm/") && name.endsWith(".class")) {
          out.put(
              name.substring(0, name.length() - ".class".length()),
              zip.getInputStream(entry).readAllBytes());
        }
      }
    }
    return out;
  }
}
