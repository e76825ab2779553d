package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.create.source.SourcePatch.ConstantRecompilation;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A patch that changes a compile-time constant must recompile the classes that inlined it. A small
 * library in a project folder, compiled into a jar with this JDK.
 */
class InlinedConstantSourcePatchTest {
  private static final Map<String, String> LIBRARY =
      Map.of(
          "p/A.java",
          """
          package p;

          public class A {
            public static final int LIMIT = 10;
            public static final String NAME = "a";
          }
          """,
          "p/B.java",
          """
          package p;

          public class B {
            public int limit() {
              return A.LIMIT;
            }
          }
          """,
          "p/C.java",
          """
          package p;

          public class C {
            static final int LIMIT = 1;

            int c() {
              return LIMIT;
            }
          }
          """,
          "p/D.java",
          """
          package p;

          public class D extends A {
            public int d() {
              return LIMIT;
            }
          }
          """,
          "p/E.java",
          """
          package p;

          public class E {
            public static final int TWICE = A.LIMIT * 2;
          }
          """,
          "p/F.java",
          """
          package p;

          public class F {
            public int f() {
              return E.TWICE;
            }
          }
          """,
          "q/G.java",
          """
          package q;

          import static p.A.LIMIT;

          public class G {
            public int g() {
              return LIMIT;
            }
          }
          """);

  private static final String LIMIT_20 =
      """
      --- lib-1.0/src/main/java/p/A.java\t2024-05-01 10:00:00.000000000 +0000
      +++ lib-1.0-fixed/src/main/java/p/A.java\t2024-05-01 10:01:00.000000000 +0000
      @@ -1,6 +1,6 @@
       package p;
      \s
       public class A {
      -  public static final int LIMIT = 10;
      +  public static final int LIMIT = 20;
         public static final String NAME = "a";
       }
      """;

  @TempDir Path project;
  private Path jar;

  @BeforeEach
  void writeLibrary() throws IOException {
    for (Map.Entry<String, String> source : LIBRARY.entrySet()) {
      Path file = project.resolve("src/main/java").resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
    }
    jar =
        Jars.write(
            project.resolve("target/lib-1.0.jar"), Compiler.with(Jdk.current()).compile(LIBRARY));
  }

  @Test
  void compile_changedConstant_recompilesEveryUserWithTheNewValue() throws Exception {
    SourcePatch.Result result = new SourcePatch(project, diff(LIMIT_20), List.of(jar)).compile();

    assertThat(result.touchedFiles()).containsExactly("p/A.java");
    assertThat(result.constantRecompilations())
        .containsExactly(
            new ConstantRecompilation(
                "p/A", "LIMIT", 10, 20, List.of("p/B.java", "p/D.java", "p/E.java", "q/G.java")),
            new ConstantRecompilation("p/E", "TWICE", 20, 40, List.of("p/F.java")));
    assertThat(result.compiledAfter().classes())
        .containsOnlyKeys("p/A", "p/B", "p/D", "p/E", "p/F", "q/G");
    assertThat(result.compiledBefore().classes())
        .containsOnlyKeys(result.compiledAfter().classes().keySet());

    assertThat(pushedInts(result.compiledBefore().bytes("p/B"), "limit")).containsExactly(10);
    assertThat(pushedInts(result.compiledAfter().bytes("p/B"), "limit")).containsExactly(20);
    assertThat(pushedInts(result.compiledAfter().bytes("p/D"), "d")).containsExactly(20);
    assertThat(pushedInts(result.compiledAfter().bytes("q/G"), "g")).containsExactly(20);
    assertThat(pushedInts(result.compiledBefore().bytes("p/F"), "f")).containsExactly(20);
    assertThat(pushedInts(result.compiledAfter().bytes("p/F"), "f")).containsExactly(40);
  }

  @Test
  void compile_unchangedConstants_recompileNothingElse() throws Exception {
    String patch =
        """
        --- a/src/main/java/p/B.java
        +++ b/src/main/java/p/B.java
        @@ -2,6 +2,6 @@
        \s
         public class B {
           public int limit() {
        -    return A.LIMIT;
        +    return A.LIMIT + 1;
           }
         }
        """;

    SourcePatch.Result result = new SourcePatch(project, diff(patch), List.of(jar)).compile();

    assertThat(result.touchedFiles()).containsExactly("p/B.java");
    assertThat(result.constantRecompilations()).isEmpty();
    assertThat(result.compiledAfter().classes()).containsOnlyKeys("p/B");
    assertThat(result.javacOptions()).containsSubsequence("--release", "17");
  }

  @Test
  void compile_unpatchedSourcesThatNeedMissingClasses_blameTheClasspath() {
    String patch =
        """
        --- a/p/B.java
        +++ b/p/B.java
        @@ -4,3 +4,3 @@
           public int limit() {
        -    return A.LIMIT;
        +    return A.LIMIT + 1;
           }
        """;

    assertThatThrownBy(() -> new SourcePatch(project, diff(patch), List.of()).compile())
        .isInstanceOf(PatchCompileException.class)
        .hasMessageStartingWith("the unpatched sources do not compile against the classpath given")
        .hasMessageContaining("p/B.java:5: cannot find symbol")
        .hasMessageEndingWith(
            "give the library's jar and all its compile dependencies as the classpath")
        .satisfies(
            e ->
                assertThat(((PatchCompileException) e).side())
                    .isEqualTo(PatchCompileException.Side.UNPATCHED));
  }

  private Path diff(String text) throws IOException {
    return Files.writeString(project.resolve("fix.diff"), text);
  }

  /** The int constants a method pushes (bipush, sipush). */
  private static List<Integer> pushedInts(byte[] classFile, String method) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    MethodNode m =
        node.methods.stream().filter(x -> x.name.equals(method)).findFirst().orElseThrow();
    return StreamSupport.stream(m.instructions.spliterator(), false)
        .filter(i -> i.getOpcode() == Opcodes.BIPUSH || i.getOpcode() == Opcodes.SIPUSH)
        .map(i -> ((IntInsnNode) i).operand)
        .toList();
  }
}
