package io.jsplice.fleet.daemon.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.testkit.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarArtifactsTest {
  @TempDir Path dir;

  private static byte[] jar(Map<String, byte[]> entries) throws IOException {
    return Jars.bytes(entries, Map.of());
  }

  private static byte[] pom(String group, String artifact, String version) {
    return ("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheCoordinatesOfAJar() throws Exception {
    Path jar =
        Files.write(
            dir.resolve("text.jar"),
            jar(
                Map.of(
                    "META-INF/maven/org.apache.commons/commons-text/pom.properties",
                    pom("org.apache.commons", "commons-text", "1.9"))));
    assertThat(JarArtifacts.of(jar.toString(), 0))
        .containsExactly(
            new LoadedArtifact("org.apache.commons", "commons-text", "1.9", null, jar.toString()));
  }

  @Test
  void readsANestedJar() throws Exception {
    byte[] inner =
        jar(
            Map.of(
                "META-INF/maven/org.codehaus.jettison/jettison/pom.properties",
                pom("org.codehaus.jettison", "jettison", "1.5.0")));
    Path app =
        Files.write(dir.resolve("app.jar"), jar(Map.of("BOOT-INF/lib/jettison-1.5.0.jar", inner)));
    String location = app + "!/BOOT-INF/lib/jettison-1.5.0.jar";
    assertThat(JarArtifacts.of(location, 0))
        .extracting(LoadedArtifact::coordinates)
        .containsExactly("org.codehaus.jettison:jettison:1.5.0");
  }

  @Test
  void aJarWithoutMavenMetadata_orNoJarAtAll_givesNothing() throws Exception {
    Path plain = Files.write(dir.resolve("plain.jar"), jar(Map.of("A.class", new byte[] {1})));
    Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
    assertThat(JarArtifacts.of(plain.toString(), 0)).isEmpty();
    assertThat(JarArtifacts.of(text.toString(), 0)).isEmpty();
    assertThat(JarArtifacts.of(dir.resolve("missing.jar").toString(), 0)).isEmpty();
    assertThat(JarArtifacts.of(dir.toString(), 0)).isEmpty();
  }

  @Test
  void aFileTheJvmsUserCannotRead_isNotReadForIt() throws Exception {
    Path secret =
        Files.write(
            dir.resolve("root-only.jar"),
            jar(Map.of("META-INF/maven/g/a/pom.properties", pom("g", "a", "1"))));
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    long owner = ((Number) Files.getAttribute(secret, "unix:uid")).longValue();
    long other = owner + 4242;
    assertThat(JarArtifacts.readableBy(secret, owner)).isTrue();
    assertThat(JarArtifacts.readableBy(secret, other)).isFalse();
    assertThat(JarArtifacts.of(secret.toString(), other)).isEmpty();
    Path link = Files.createSymbolicLink(dir.resolve("link.jar"), secret);
    assertThat(JarArtifacts.of(link.toString(), other)).as("not through a link either").isEmpty();
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(JarArtifacts.of(secret.toString(), other)).hasSize(1);
  }
}
