package io.jsplice.agent.classfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Jars;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskClassesTest {
  private static final int RELEASE = Runtime.version().feature();

  @TempDir Path dir;

  @Test
  void classFile_readsJarsDirectoriesAndWhatIsNestedInAJar() throws IOException {
    byte[] lib = jar(Map.of("p/A.class", bytes("lib A")), false);
    Path app =
        write(
            dir.resolve("app.jar"),
            jar(
                Map.of("BOOT-INF/lib/lib.jar", lib, "BOOT-INF/classes/p/Main.class", bytes("main")),
                false));
    Path classes = Files.createDirectories(dir.resolve("classes/p"));
    Files.write(classes.resolve("B.class"), bytes("dir B"));
    write(dir.resolve("lib.jar"), lib);

    try (DiskClasses disk = new DiskClasses()) {
      assertThat(disk.classFile(CodeLocation.parse(url("lib.jar")), "p/A"))
          .isEqualTo(bytes("lib A"));
      assertThat(disk.classFile(CodeLocation.parse(url("classes") + "/"), "p/B"))
          .isEqualTo(bytes("dir B"));
      assertThat(disk.classFile(nested(app, "BOOT-INF/lib/lib.jar!/"), "p/A"))
          .isEqualTo(bytes("lib A"));
      assertThat(disk.classFile(nested(app, "BOOT-INF/classes!/"), "p/Main"))
          .isEqualTo(bytes("main"));
      assertThat(disk.classFile(nested(app, "BOOT-INF/lib/lib.jar!/"), "p/Missing")).isNull();
    }
  }

  @Test
  void classFile_picksTheVersionThisJvmLoadsFromAMultiReleaseJar() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("p/A.class", bytes("base"));
    entries.put("META-INF/versions/11/p/A.class", bytes("for 11"));
    entries.put("META-INF/versions/" + (RELEASE + 1) + "/p/A.class", bytes("for later"));
    byte[] multi = jar(entries, true);
    write(dir.resolve("multi.jar"), multi);
    Path app = write(dir.resolve("app.jar"), jar(Map.of("BOOT-INF/lib/multi.jar", multi), false));

    try (DiskClasses disk = new DiskClasses()) {
      assertThat(disk.classFile(CodeLocation.parse(url("multi.jar")), "p/A"))
          .isEqualTo(bytes("for 11"));
      assertThat(disk.classFile(nested(app, "BOOT-INF/lib/multi.jar!/"), "p/A"))
          .isEqualTo(bytes("for 11"));
    }
  }

  @Test
  void existsAndClassFile_tellAGoneJarFromAMissingClass() throws IOException {
    try (DiskClasses disk = new DiskClasses()) {
      CodeLocation gone = CodeLocation.parse(url("gone.jar"));
      assertThat(disk.exists(gone)).isFalse();
      assertThatThrownBy(() -> disk.classFile(gone, "p/A")).isInstanceOf(NoSuchFileException.class);
      CodeLocation goneDir = CodeLocation.parse(url("gone-dir") + "/");
      assertThatThrownBy(() -> disk.classFile(goneDir, "p/A"))
          .isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void mavenVersion_readsPomPropertiesOfTheJar() throws IOException {
    write(
        dir.resolve("lib.jar"),
        jar(
            Map.of(
                "META-INF/maven/org.example/lib/pom.properties",
                bytes("groupId=org.example\nartifactId=lib\nversion=1.10.0\n")),
            false));
    try (DiskClasses disk = new DiskClasses()) {
      CodeLocation lib = CodeLocation.parse(url("lib.jar"));
      assertThat(disk.mavenVersion(lib, "org.example", "lib")).isEqualTo("1.10.0");
      assertThat(disk.mavenVersion(lib, "org.example", "other")).isNull();
    }
  }

  @Test
  void classFileOf_readsTheFileALoadedClassCameFrom_nestedJarsIncluded() throws IOException {
    byte[] lib = jar(Map.of("p/A.class", bytes("lib A")), false);
    Path app = write(dir.resolve("app.jar"), jar(Map.of("BOOT-INF/lib/lib.jar", lib), false));
    write(dir.resolve("lib.jar"), lib);
    Path classes = Files.createDirectories(dir.resolve("classes/p"));
    Files.write(classes.resolve("B.class"), bytes("dir B"));

    assertThat(DiskClasses.classFileOf(domain(url("lib.jar")), "p/A")).isEqualTo(bytes("lib A"));
    assertThat(DiskClasses.classFileOf(domain(url("lib.jar")), "p/Missing")).isNull();
    assertThat(DiskClasses.classFileOf(domain(url("classes") + "/"), "p/B"))
        .isEqualTo(bytes("dir B"));
    assertThat(
            DiskClasses.classFileOf(
                domain("jar:" + app.toUri() + "!/BOOT-INF/lib/lib.jar!/"), "p/A"))
        .isEqualTo(bytes("lib A"));
  }

  @Test
  void classFileOf_saysNothingWithoutAReadableCodeSource() throws IOException {
    assertThat(DiskClasses.classFileOf(null, "p/A")).isNull();
    assertThat(DiskClasses.classFileOf(new ProtectionDomain(null, null), "p/A")).isNull();
    assertThat(DiskClasses.classFileOf(domain("http://example.org/lib.jar"), "p/A")).isNull();
    assertThat(DiskClasses.classFileOf(domain(url("missing.jar")), "p/A")).isNull();
  }

  private static ProtectionDomain domain(String location) throws IOException {
    return new ProtectionDomain(
        new CodeSource(URI.create(location).toURL(), (Certificate[]) null), null);
  }

  private String url(String name) {
    return dir.resolve(name).toUri().toString().replaceAll("/$", "");
  }

  private static CodeLocation nested(Path outer, String inner) {
    return CodeLocation.parse("jar:" + outer.toUri() + "!/" + inner);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    return Files.write(file, bytes);
  }

  private static byte[] jar(Map<String, byte[]> entries, boolean multiRelease) throws IOException {
    return Jars.bytes(entries, multiRelease ? Map.of("Multi-Release", "true") : Map.of());
  }
}
