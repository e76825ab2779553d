package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.ReleaseSpec;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which added readObject methods are a check of static state followed by the default read (and
 * become a deserialization filter that runs the check), and which are not, with the reason.
 */
class ReadObjectCheckTest {
  private static final String GUARD =
      """
      package lib;
      final class Guard {
        static void check(Class<?> c) {
          String allowed = java.security.AccessController.doPrivileged(
              new java.security.PrivilegedAction<String>() {
                public String run() { return System.getProperty("lib.allow"); }
              });
          if (!"true".equalsIgnoreCase(allowed)) {
            throw new UnsupportedOperationException("no " + c.getName());
          }
        }
        static int count;
        static void countAndCheck() { count++; }
        static void exit() { System.exit(3); }
      }
      """;

  private static ReadObjectCheck.Result lower(String readObject) {
    Map<String, byte[]> classes =
        InstalledRelease.javac(Jdk.current())
            .compile(
                Map.of(
                    "lib/Guard.java",
                    GUARD,
                    "lib/X.java",
                    "package lib;\npublic class X implements java.io.Serializable {\n"
                        + "  int n;\n  static int reads;\n"
                        + readObject
                        + "\n}\n"));
    ClassNode x = node(classes.get("lib/X"));
    return ReadObjectCheck.lower("lib/X", readObject(x), new SideEffectCheck(classes::get));
  }

  private static ClassNode node(byte[] bytes) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node;
  }

  private static MethodNode readObject(ClassNode c) {
    return c.methods.stream().filter(m -> m.name.equals("readObject")).findFirst().orElseThrow();
  }

  @Test
  void aCheckOfASystemPropertyThenTheDefaultRead_becomesAStaticCheck() {
    ReadObjectCheck.Result r =
        lower(
            """
            private void readObject(java.io.ObjectInputStream in)
                throws java.io.IOException, ClassNotFoundException {
              Guard.check(X.class);
              in.defaultReadObject();
            }
            """);

    assertThat(r.refusal()).isNull();
    assertThat(r.check().name).isEqualTo(ReadObjectCheck.CHECK_METHOD);
    assertThat(r.check().desc).isEqualTo("()V");
    assertThat(r.check().access & Opcodes.ACC_STATIC).isNotZero();
    assertThat(calls(r.check())).containsExactly("lib/Guard.check");
  }

  @Test
  void anInlineCheckOfAStaticFlag_isACheckToo() {
    ReadObjectCheck.Result r =
        lower(
            """
            private void readObject(java.io.ObjectInputStream in)
                throws java.io.IOException, ClassNotFoundException {
              if (!Boolean.getBoolean("lib.allow")) {
                throw new java.io.InvalidObjectException("refused");
              }
              in.defaultReadObject();
            }
            """);

    assertThat(r.refusal()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "reads the stream first|in.readInt(); in.defaultReadObject();|uses the stream",
        "sets a field of the object|n = 1; in.defaultReadObject();|uses the object",
        "writes static state|reads++; in.defaultReadObject();|writes the field lib.X.reads",
        "calls code that writes static state|Guard.countAndCheck(); in.defaultReadObject();"
            + "|writes the static field lib.Guard.count",
        "calls code with side effects|Guard.exit(); in.defaultReadObject();|java.lang.System.exit",
        "reads the fields itself|in.readFields();|does not end in in.defaultReadObject()",
        "reads, then checks|in.defaultReadObject(); Guard.check(X.class);"
            + "|does not end in in.defaultReadObject()",
        "catches what the check throws|try { Guard.check(X.class); } catch (RuntimeException e) {}"
            + " in.defaultReadObject();|catches exceptions",
        "returns early|if (Boolean.getBoolean(\"p\")) return; in.defaultReadObject();"
            + "|returns before the default read",
        "only reads|in.defaultReadObject();|checks nothing"
      })
  void otherShapes_areRefusedWithTheReason(String shape, String body, String reason) {
    ReadObjectCheck.Result r =
        lower(
            "private void readObject(java.io.ObjectInputStream in)"
                + " throws java.io.IOException, ClassNotFoundException { "
                + body
                + " }");

    assertThat(r.check()).as(shape).isNull();
    assertThat(r.refusal()).as(shape).contains(reason);
  }

  /**
   * commons-collections 3.2.2 is compiled for Java 1.2: {@code InvokerTransformer.class} is javac's
   * cached {@code class$} lookup, which the check reads as the class literal it is.
   */
  @Test
  void commonsCollections322_invokerTransformer_isACheckOfItsClassLiteral() throws Exception {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      ClassSet fixed =
          ReleaseSpec.read(List.of("commons-collections:commons-collections:3.2.2"), maven);
      String owner = "org/apache/commons/collections/functors/InvokerTransformer";

      ReadObjectCheck.Result r =
          ReadObjectCheck.lower(
              owner, readObject(node(fixed.bytes(owner))), new SideEffectCheck(fixed::bytes));

      assertThat(r.refusal()).isNull();
      assertThat(calls(r.check()))
          .containsExactly(
              "org/apache/commons/collections/functors/FunctorUtils.checkUnsafeSerialization");
      assertThat(r.check().instructions.toArray())
          .noneMatch(i -> i.getOpcode() == Opcodes.PUTSTATIC || i.getOpcode() == Opcodes.GETSTATIC);
    }
  }

  /**
   * Built into an update, the check lives in the class's companion, with the static method it calls
   * moved as the fixed release adds it, and throws exactly when the fixed readObject would.
   */
  @Test
  void theLoweredCheck_runsTheFixedReleasesCheckFromTheCompanion() throws Exception {
    String pre =
        """
        package lib;
        public class X implements java.io.Serializable {
          public String get() { return "x"; }
        }
        """;
    String post =
        """
        package lib;
        public class X implements java.io.Serializable {
          public String get() { return "x"; }
          private void readObject(java.io.ObjectInputStream in)
              throws java.io.IOException, ClassNotFoundException {
            Guard.check(X.class);
            in.defaultReadObject();
          }
        }
        """;
    String guardPre = "package lib;\nfinal class Guard {}\n";
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(),
            Map.of("lib/X.java", pre, "lib/Guard.java", guardPre),
            Map.of("lib/X.java", post, "lib/Guard.java", GUARD));

    assertThat(built.entry("lib.X").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(built.entry("lib.X").applicability().notes())
        .anyMatch(n -> n.contains("runs a check of static state") && n.contains("filter"));
    assertThat(built.update().update().hooks()).hasSize(1);
    built.verifyAll();
    String companion =
        built.update().update().classes().stream()
            .map(c -> c.name())
            .filter(n -> n.startsWith("lib.X$$jsplice$"))
            .findFirst()
            .orElseThrow();
    Method check =
        Class.forName(companion, true, built.installed())
            .getDeclaredMethod(ReadObjectCheck.CHECK_METHOD);
    check.setAccessible(true);
    assertThatThrownBy(() -> check.invoke(null))
        .isInstanceOf(InvocationTargetException.class)
        .cause()
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("no lib.X");
    System.setProperty("lib.allow", "true");
    try {
      check.invoke(null);
    } finally {
      System.clearProperty("lib.allow");
    }
  }

  private static List<String> calls(MethodNode m) {
    return java.util.Arrays.stream(m.instructions.toArray())
        .filter(MethodInsnNode.class::isInstance)
        .map(i -> ((MethodInsnNode) i).owner + "." + ((MethodInsnNode) i).name)
        .toList();
  }
}
