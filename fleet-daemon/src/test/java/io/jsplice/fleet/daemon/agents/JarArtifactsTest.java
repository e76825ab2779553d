package io.jsplice.fleet.daemon.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.testkit.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
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
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(JarArtifacts.of(secret.toString(), other)).hasSize(1);
  }

  /**
   * Issue 14: the file's mode let everyone read it, but it lies in a directory the JVM's user
   * cannot enter, so that user cannot read it. Before, the root daemon read it for them all the
   * same (it looked at the file's mode only) and reported what it found.
   */
  @Test
  void aReadableJarInADirectoryTheJvmsUserCannotEnter_isNotReadForIt() throws Exception {
    Path closed = Files.createDirectory(dir.resolve("closed"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Files.write(
            closed.resolve("inside.jar"),
            jar(Map.of("META-INF/maven/g/a/pom.properties", pom("g", "a", "1"))));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    long owner = ((Number) Files.getAttribute(jar, "unix:uid")).longValue();
    long other = owner + 4242;

    assertThat(JarArtifacts.of(jar.toString(), owner)).hasSize(1);
    assertThat(JarArtifacts.readableBy(jar, other)).isFalse();
    assertThat(JarArtifacts.of(jar.toString(), other)).isEmpty();
    Path link = Files.createSymbolicLink(dir.resolve("open-link.jar"), jar);
    assertThat(JarArtifacts.of(link.toString(), other)).as("not through a link either").isEmpty();
  }

  /** A jar the JVM's user reads through its group (0640, in a directory of 0750) is read. */
  @Test
  void aJarTheJvmsGroupMayRead_isReadForIt() throws Exception {
    assumeTrue(
        ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0,
        "only root can give a file to another group");
    long group = 4243;
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Files.write(
            shared.resolve("lib.jar"),
            jar(Map.of("META-INF/maven/g/a/pom.properties", pom("g", "a", "1"))));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r-----"));
    Files.setAttribute(shared, "unix:gid", (int) group);
    Files.setAttribute(jar, "unix:gid", (int) group);
    long other = 4242;

    assertThat(JarArtifacts.of(jar.toString(), new JarArtifacts.Reader(other, Set.of(group))))
        .hasSize(1);
    assertThat(JarArtifacts.of(jar.toString(), new JarArtifacts.Reader(other, Set.of(7L))))
        .isEmpty();
  }
}
