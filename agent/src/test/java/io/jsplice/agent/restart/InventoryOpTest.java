package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.agent.classfile.CodeLocation;
import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.protocol.message.InventoryReply.Evidence;
import io.jsplice.protocol.message.InventoryReply.Library;
import io.jsplice.testkit.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the inventory names the library in a jar: pom.properties, manifest, or file name. */
class InventoryOpTest {
  @TempDir Path dir;

  @Test
  void libraries_readsPomPropertiesOfAJarNestedInASpringBootJar() throws IOException {
    byte[] inner =
        jar(
            Map.of(
                "META-INF/maven/org.example/text/pom.properties",
                pom("org.example", "text", "1.9")),
            null);
    Path app = write("app.jar", jar(Map.of("BOOT-INF/lib/text-1.9.jar", inner), null));
    CodeLocation nested =
        CodeLocation.parse("jar:" + app.toUri() + "!/BOOT-INF/lib/text-1.9.jar!/");

    List<Library> libraries = libraries(nested, 12);

    assertThat(libraries)
        .containsExactly(
            new Library(
                "org.example",
                "text",
                "1.9",
                app + "!/BOOT-INF/lib/text-1.9.jar",
                "nested jar",
                12,
                Evidence.POM_PROPERTIES));
  }

  @Test
  void libraries_namesEveryLibraryAShadedJarEmbeds() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/maven/org.b/bee/pom.properties", pom("org.b", "bee", "2"));
    entries.put("META-INF/maven/org.a/ay/pom.properties", pom("org.a", "ay", "1"));
    Path shaded = write("shaded.jar", jar(entries, null));

    assertThat(libraries(CodeLocation.parse(shaded.toUri().toString()), 3))
        .extracting(Library::coordinates)
        .containsExactly("org.a:ay:1", "org.b:bee:2");
  }

  @Test
  void libraries_fallsBackToTheManifestThenTheFileName() throws IOException {
    Path titled = write("whatever.jar", jar(Map.of(), "Titled Lib"));
    Path named = write("plain-lib-3.2.1.jar", jar(Map.of(), null));

    assertThat(libraries(CodeLocation.parse(titled.toUri().toString()), 1))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.artifactId()).isEqualTo("Titled Lib");
              assertThat(l.version()).isEqualTo("7");
              assertThat(l.evidence()).isEqualTo(Evidence.MANIFEST);
            });
    assertThat(libraries(CodeLocation.parse(named.toUri().toString()), 1))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.coordinates()).isEqualTo("?:plain-lib:3.2.1");
              assertThat(l.evidence()).isEqualTo(Evidence.FILE_NAME);
            });
  }

  private static List<Library> libraries(CodeLocation location, int loaded) {
    try (DiskClasses disk = new DiskClasses()) {
      return InventoryOp.libraries(disk, location, loaded);
    }
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] pom(String group, String artifact, String version) {
    return ("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] jar(Map<String, byte[]> entries, String title) throws IOException {
    return Jars.bytes(
        entries,
        title == null
            ? Map.of()
            : Map.of("Implementation-Title", title, "Implementation-Version", "7"));
  }
}
