package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.create.source.ClassSet.ArtifactVersion;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassSetReaderTest {
  private static Map<String, byte[]> classes;
  private static byte[] moduleInfo;

  @TempDir Path dir;

  @BeforeAll
  static void compile() {
    classes =
        Compiler.with(Jdk.current())
            .compile(
                Map.of(
                    "p/A.java",
                    "package p; public class A { Runnable r = new Runnable() {"
                        + " public void run() {} }; }",
                    "q/B.java",
                    "package q; public class B {}"));
    moduleInfo =
        Compiler.with(Jdk.current()).compile("module-info.java", "module m {}").get("module-info");
  }

  @Test
  void read_keysJarClassesByTheirNameAndLeavesOutModuleInfoAndVersionedVariants()
      throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("p/A.class", classes.get("p/A"));
    entries.put("p/A$1.class", classes.get("p/A$1"));
    entries.put("BOOT-INF/classes/q/B.class", classes.get("q/B"));
    entries.put("module-info.class", moduleInfo);
    entries.put("META-INF/versions/11/p/A.class", classes.get("q/B"));
    entries.put("META-INF/maven/org.example/lib/pom.properties", properties("org.example", "lib"));
    Path jar = zip(dir.resolve("lib-1.0.jar"), entries);

    ClassSet set = ClassSetReader.read(jar);

    assertThat(set.classes()).containsOnlyKeys("p/A", "p/A$1", "q/B");
    assertThat(set.bytes("p/A")).isEqualTo(classes.get("p/A"));
    assertThat(set.origin()).isEqualTo("lib-1.0.jar");
    assertThat(set.artifacts()).containsExactly(new ArtifactVersion("org.example", "lib", "1.0"));
  }

  @Test
  void read_readsClassDirectory() throws IOException {
    Path classDir = Jars.writeDirectory(dir.resolve("classes"), classes);

    ClassSet set = ClassSetReader.read(classDir);

    assertThat(set.classes()).containsOnlyKeys("p/A", "p/A$1", "q/B");
    assertThat(set.origin()).isEqualTo(classDir.toString());
    assertThat(set.artifacts()).isEmpty();
  }

  @Test
  void read_mergesSeveralJarsWithTheirCoordinates() throws IOException {
    Path first =
        zip(
            dir.resolve("a.jar"),
            Map.of(
                "p/A.class", classes.get("p/A"),
                "META-INF/maven/g/a/pom.properties", properties("g", "a")));
    Path second =
        zip(
            dir.resolve("b.jar"),
            Map.of(
                "q/B.class", classes.get("q/B"),
                "META-INF/maven/g/b/pom.properties", properties("g", "b")));

    ClassSet set = ClassSetReader.read(List.of(first, second));

    assertThat(set.classes()).containsOnlyKeys("p/A", "q/B");
    assertThat(set.origin()).isEqualTo("a.jar, b.jar");
    assertThat(set.artifacts())
        .containsExactly(
            new ArtifactVersion("g", "a", "1.0"), new ArtifactVersion("g", "b", "1.0"));
  }

  @Test
  void read_rejectsClassHeldByTwoJarsNamingBoth() throws IOException {
    Path first = Jars.write(dir.resolve("a.jar"), Map.of("q/B", classes.get("q/B")));
    Path second = Jars.write(dir.resolve("b.jar"), Map.of("q/B", classes.get("q/B")));

    assertThatThrownBy(() -> ClassSetReader.read(List.of(first, second)))
        .isInstanceOf(DuplicateClassException.class)
        .hasMessageContaining("q.B")
        .hasMessageContaining(first.toString())
        .hasMessageContaining(second.toString());
  }

  @Test
  void read_failsNamingAMissingJar() {
    Path missing = dir.resolve("missing.jar");

    assertThatThrownBy(() -> ClassSetReader.read(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void read_failsNamingAJarThatIsNotAZip() throws IOException {
    Path corrupt = Files.writeString(dir.resolve("corrupt.jar"), "not a zip");

    assertThatThrownBy(() -> ClassSetReader.read(corrupt))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining(corrupt.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void read_failsNamingAnEntryThatIsNotAClassFile() throws IOException {
    Path jar = zip(dir.resolve("bad.jar"), Map.of("p/Bad.class", new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> ClassSetReader.read(jar))
        .isInstanceOf(InvalidClassFileException.class)
        .hasMessageContaining(jar + "!/p/Bad.class");
  }

  private static byte[] properties(String groupId, String artifactId) {
    return ("groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=1.0\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A jar with arbitrary entries (testkit's Jars writes class files only). */
  private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }
}
