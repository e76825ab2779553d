package io.jsplice.model.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;

class ClassFingerprintTest {
  private static final String SOURCE =
      """
      package p;
      import java.util.*;
      public class Guard {
        private static final Set<String> DENY = new HashSet<>(List.of("script", "dns"));
        private final int limit;
        public Guard(int limit) { this.limit = limit; }
        public boolean allowed(String key) {
          Runnable r = () -> System.out.println(key);
          return !DENY.contains(key) && key.length() < limit;
        }
        @Deprecated public long big() { return 123456789012L + "x".length(); }
      }
      """;

  static java.util.List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static byte[] compile(Jdk jdk, String source, String... options) {
    return Compiler.with(jdk).options(options).compile("p/Guard.java", source).get("p/Guard");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresDebugInformation(Jdk jdk) {
    String withDebug = ClassFingerprint.of(compile(jdk, SOURCE, "-g"));
    String without = ClassFingerprint.of(compile(jdk, SOURCE, "-g:none"));
    assertThat(withDebug).isEqualTo(without).hasSize(64);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresConstantPoolOrderAndMemberOrder(Jdk jdk) {
    byte[] original = compile(jdk, SOURCE);
    ClassNode node = new ClassNode();
    new ClassReader(original).accept(node, 0);
    Collections.reverse(node.methods);
    Collections.reverse(node.fields);
    // A fresh ClassWriter lays out a new constant pool in visiting order.
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    node.accept(writer);
    byte[] rewritten = writer.toByteArray();
    assertThat(rewritten).isNotEqualTo(original);
    assertThat(ClassFingerprint.of(rewritten)).isEqualTo(ClassFingerprint.of(original));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresInvisibleAnnotationsButNotVisibleOnes(Jdk jdk) {
    byte[] original = compile(jdk, SOURCE);
    String base = ClassFingerprint.of(original);
    assertThat(ClassFingerprint.of(withAnnotation(original, "Lx/Invisible;", false)))
        .isEqualTo(base);
    assertThat(ClassFingerprint.of(withAnnotation(original, "Lx/Visible;", true)))
        .isNotEqualTo(base);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void changesWithCodeConstantsAndSignatures(Jdk jdk) {
    String base = ClassFingerprint.of(compile(jdk, SOURCE));
    Map<String, String> variants =
        Map.of(
            "deny-list entry", SOURCE.replace("\"dns\"", "\"url\""),
            "comparison", SOURCE.replace("< limit", "<= limit"),
            "long constant", SOURCE.replace("123456789012L", "123456789013L"),
            "field flag", SOURCE.replace("private final int limit", "private int limit"),
            "method signature", SOURCE.replace("long big()", "Long big()"),
            "superclass", SOURCE.replace("class Guard {", "class Guard extends Thread {"));
    variants.forEach(
        (what, source) ->
            assertThat(ClassFingerprint.of(compile(jdk, source))).as(what).isNotEqualTo(base));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void differsBetweenClassFileVersions(Jdk jdk) {
    // The same source compiled for another release is another class file; the JVM may treat it
    // differently (e.g. string concatenation by invokedynamic), so it must not match.
    String release11 = ClassFingerprint.of(compile(jdk, SOURCE, "--release", "11"));
    assertThat(ClassFingerprint.of(compile(jdk, SOURCE))).isNotEqualTo(release11);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresParameterNamesAndEnclosingMethods(Jdk jdk) {
    // HotSpot keeps MethodParameters and EnclosingMethod for reflection but does not write them
    // back when it reconstitutes a class, so a class read back from a JVM must match without them.
    assertThat(ClassFingerprint.of(compile(jdk, SOURCE, "-parameters")))
        .isEqualTo(ClassFingerprint.of(compile(jdk, SOURCE)));
    String anonymous =
        SOURCE.replace(
            "Runnable r = () ->",
            "Runnable r = new Runnable() {"
                + " public void run() { System.out.println(key); } }; Runnable q = () ->");
    byte[] inner = Compiler.with(jdk).compile("p/Guard.java", anonymous).get("p/Guard$1");
    assertThat(ClassFingerprint.of(inner)).isEqualTo(ClassFingerprint.of(withoutOuterClass(inner)));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresTypeAnnotationsInsideCode(Jdk jdk) {
    // ASM places labels at the offsets such annotations name; HotSpot drops the annotations.
    String annotated =
        """
        package p;
        import java.lang.annotation.*;
        public class Guard {
          @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.TYPE_USE) @interface Checked {}
          public int twice(int x) { @Checked Integer y = x * 3; return y + y; }
        }
        """;
    String plain = annotated.replace("@Checked Integer", "Integer");
    byte[] withAnnotation = Compiler.with(jdk).compile("p/Guard.java", annotated).get("p/Guard");
    byte[] without = Compiler.with(jdk).compile("p/Guard.java", plain).get("p/Guard");
    assertThat(withAnnotation).isNotEqualTo(without);
    assertThat(ClassFingerprint.of(withAnnotation)).isEqualTo(ClassFingerprint.of(without));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresConstantValuesOfInstanceFields(Jdk jdk) {
    byte[] original = compile(jdk, SOURCE);
    ClassNode node = new ClassNode();
    new ClassReader(original).accept(node, 0);
    node.fields.stream().filter(f -> f.name.equals("limit")).findFirst().orElseThrow().value = 7;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    assertThat(ClassFingerprint.of(writer.toByteArray())).isEqualTo(ClassFingerprint.of(original));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void changesWhenOnlyABranchTargetMoves(Jdk jdk) {
    byte[] original = compile(jdk, SOURCE);
    ClassNode node = new ClassNode();
    new ClassReader(original).accept(node, 0);
    MethodNode allowed =
        node.methods.stream().filter(m -> m.name.equals("allowed")).findFirst().orElseThrow();
    JumpInsnNode jump =
        (JumpInsnNode)
            java.util.Arrays.stream(allowed.instructions.toArray())
                .filter(i -> i instanceof JumpInsnNode)
                .findFirst()
                .orElseThrow();
    // The same instructions, the branch one instruction further on.
    AbstractInsnNode next = jump.label.getNext();
    while (next.getOpcode() < 0) {
      next = next.getNext();
    }
    LabelNode elsewhere = new LabelNode();
    allowed.instructions.insert(next, elsewhere);
    jump.label = elsewhere;
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    node.accept(writer);
    assertThat(ClassFingerprint.of(writer.toByteArray()))
        .isNotEqualTo(ClassFingerprint.of(original));
  }

  /**
   * Kotlin writes its class initializers {@code static synthetic} (okhttp 4.9.3's {@code
   * JavaNetAuthenticator$WhenMappings}); HotSpot keeps only {@code static} and hands that back when
   * it reconstitutes the class, which was taken for another agent's instrumentation.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void ignoresTheFlagsOfAClassInitializerThatTheJvmDoesNotKeep(Jdk jdk) {
    byte[] original =
        compile(jdk, "package p; public class Guard { static final int[] MAP = new int[3]; }");
    ClassNode node = new ClassNode();
    new ClassReader(original).accept(node, 0);
    MethodNode clinit =
        node.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElseThrow();
    clinit.access |= Opcodes.ACC_SYNTHETIC;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    assertThat(ClassFingerprint.of(writer.toByteArray())).isEqualTo(ClassFingerprint.of(original));
  }

  @org.junit.jupiter.api.Test
  void classInitializerFlags_areThoseHotSpotKeeps() {
    assertThat(
            ClassFingerprint.initializerAccess(
                Opcodes.V17, Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC))
        .isEqualTo(Opcodes.ACC_STATIC);
    assertThat(ClassFingerprint.initializerAccess(Opcodes.V1_6, Opcodes.ACC_PUBLIC))
        .isEqualTo(Opcodes.ACC_STATIC);
    assertThat(
            ClassFingerprint.initializerAccess(
                Opcodes.V11, Opcodes.ACC_STATIC | Opcodes.ACC_STRICT))
        .isEqualTo(Opcodes.ACC_STATIC | Opcodes.ACC_STRICT);
    assertThat(
            ClassFingerprint.initializerAccess(
                Opcodes.V17, Opcodes.ACC_STATIC | Opcodes.ACC_STRICT))
        .isEqualTo(Opcodes.ACC_STATIC);
  }

  @org.junit.jupiter.api.Test
  void rejectsBytesThatAreNotAClass() {
    assertThatThrownBy(() -> ClassFingerprint.of(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid class file");
  }

  private static byte[] withoutOuterClass(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    node.outerClass = null;
    node.outerMethod = null;
    node.outerMethodDesc = null;
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }

  private static byte[] withAnnotation(byte[] classFile, String descriptor, boolean visible) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    AnnotationNode annotation = new AnnotationNode(Opcodes.ASM9, descriptor);
    if (visible) {
      node.visibleAnnotations = new java.util.ArrayList<>(java.util.List.of(annotation));
    } else {
      node.invisibleAnnotations = new java.util.ArrayList<>(java.util.List.of(annotation));
    }
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }
}
