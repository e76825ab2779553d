package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginalBuildTest {
  private static final Map<String, String> LIBRARY =
      Map.of(
          "p/A.java",
          """
          package p;

          public enum A {
            X;

            public int twice(int value) {
              return 2 * value;
            }
          }
          """);

  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final int feature = Runtime.version().feature();

  @TempDir Path dir;

  @Test
  void javacOptions_targetTheReleaseOfTheOriginalClassFiles() throws Exception {
    assertThat(new OriginalBuild(52, false, "p/A").javacOptions(javac, feature))
        .containsExactly("-g", "--release", "8");
    assertThat(new OriginalBuild(61, true, "p/A").javacOptions(javac, feature))
        .containsExactly("-g", "--release", "17", "-parameters");
  }

  @Test
  void javacOptions_olderThanJavacSupports_takeItsLowestRelease() throws Exception {
    List<String> options = new OriginalBuild(50, false, "p/A").javacOptions(javac, feature);

    // Java 6 bytecode: JDK 17's javac starts at --release 7, JDK 20 and later at 8.
    assertThat(options.get(2)).isEqualTo(feature < 20 ? "7" : "8");
  }

  @Test
  void javacOptions_withoutAnOriginalClass_leaveTheReleaseToJavac() throws Exception {
    assertThat(new OriginalBuild(0, false, null).javacOptions(javac, feature))
        .containsExactly("-g");
  }

  @Test
  void javacOptions_newerThanJavac_asksForANewerJdk() {
    OriginalBuild newer = new OriginalBuild(44 + feature + 1, false, "p/A");

    assertThatThrownBy(() -> newer.javacOptions(javac, feature))
        .isInstanceOf(CompilerUnavailableException.class)
        .hasMessage(
            "p/A is Java "
                + (feature + 1)
                + " bytecode, newer than this JDK's javac (Java "
                + feature
                + ") can produce: run jsplice create on JDK "
                + (feature + 1)
                + " or newer");
  }

  @Test
  void detect_readsTheVersionAndParameterNamesOfTheFilesClass() throws Exception {
    assertThat(detect(Compiler.with(Jdk.current()).options("-parameters")))
        .isEqualTo(new OriginalBuild(44 + feature, true, "p/A"));
    assertThat(detect(Compiler.with(Jdk.current())))
        .isEqualTo(new OriginalBuild(44 + feature, false, "p/A"));
  }

  @Test
  void detect_ignoresTheMandatedParametersThatJavac21AndLaterAlwaysRecord() throws Exception {
    // javac 25 writes MethodParameters for valueOf's mandated name even without -parameters.
    assertThat(detect(Compiler.with(Jdk.jdk25()).options("--release", "17")))
        .isEqualTo(new OriginalBuild(61, false, "p/A"));
  }

  @Test
  void sourcePatch_libraryBuiltForANewerJava_asksForThatJdk() throws Exception {
    Path jar = Jars.write(dir.resolve("lib.jar"), Compiler.with(Jdk.jdk25()).compile(LIBRARY));
    Path sources = dir.resolve("src");
    Files.createDirectories(sources.resolve("p"));
    Files.writeString(sources.resolve("p/A.java"), LIBRARY.get("p/A.java"));
    Path diff =
        Files.writeString(
            dir.resolve("fix.diff"),
            """
            --- a/p/A.java
            +++ b/p/A.java
            @@ -6,3 +6,3 @@
               public int twice(int value) {
            -    return 2 * value;
            +    return value + value;
               }
            """);

    assertThatThrownBy(() -> new SourcePatch(sources, diff, List.of(jar)).compile())
        .isInstanceOf(CompilerUnavailableException.class)
        .hasMessageContaining("p/A is Java 25 bytecode")
        .hasMessageEndingWith("run jsplice create on JDK 25 or newer");
  }

  private OriginalBuild detect(Compiler compiler) throws Exception {
    Path jar = Jars.write(Files.createTempFile(dir, "lib", ".jar"), compiler.compile(LIBRARY));
    try (ClasspathClasses classes = ClasspathClasses.open(List.of(jar))) {
      return OriginalBuild.detect(List.of("p/A.java"), classes);
    }
  }
}
