package io.jsplice.agent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeLoaderTest {
  private static final URL AGENT_JAR = url("file:/opt/jsplice/jsplice-agent.jar");

  @TempDir Path dir;

  @Test
  void loadsClassesFromTheAgentJarsRuntimeEntriesWithTheAgentJarAsCodeSource() throws Exception {
    RuntimeLoader loader = loader();

    Class<?> hello = Class.forName("r.Hello", true, loader);

    assertThat(hello.getClassLoader()).isSameAs(loader);
    assertThat(hello.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(AGENT_JAR);
    assertThat(hello.getMethod("get").invoke(null)).isEqualTo("hello from the runtime");
  }

  @Test
  void cannotSeeTheApplicationsClasses() throws IOException {
    RuntimeLoader loader = loader();

    assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    assertThatThrownBy(() -> Class.forName(RuntimeLoaderTest.class.getName(), false, loader))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void servesResourcesFromTheAgentJar() throws IOException {
    RuntimeLoader loader = loader();

    try (InputStream in = loader.getResourceAsStream("r/data.txt")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data");
    }
    assertThat(loader.getResource("r/data.txt").toString())
        .isEqualTo("jsplice-runtime:/r/data.txt");
    assertThat(loader.getResource("r/absent.txt")).isNull();
  }

  @Test
  void neverServesClassFilesAsResources_norTheRuntimeEntriesUnderTheirOwnNames()
      throws IOException {
    RuntimeLoader loader = loader();

    assertThat(loader.getResource("r/Hello.class")).isNull();
    assertThatThrownBy(() -> Class.forName("jsplice.runtime.r.Hello", false, loader))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void readsNothingFromAJarOverwrittenInPlace_andSaysSoNamingIt() throws Exception {
    RuntimeLoader loader = loader();
    Path file = dir.resolve("agent.jar");
    byte[] other = Files.readAllBytes(file);
    other[other.length / 2] ^= 1; // another release of the same size, written into the same file
    Files.write(file, other);
    Files.setLastModifiedTime(
        file,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(file).toMillis() + 2000));

    assertThatThrownBy(() -> Class.forName("r.Hello", true, loader))
        .isInstanceOf(ClassNotFoundException.class)
        .hasMessageContaining("the jsplice agent jar " + file + " was overwritten in place")
        .hasMessageContaining("renaming a new file over the old one");
    assertThat(loader.getResourceAsStream("r/data.txt")).isNull();
  }

  @Test
  void keepsReadingTheJarItOpened_whenANewOneIsRenamedOverIt() throws Exception {
    RuntimeLoader loader = loader();
    Path file = dir.resolve("agent.jar");
    Path next = Files.write(dir.resolve("agent.jar.new"), new byte[] {1, 2, 3});
    Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    Class<?> hello = Class.forName("r.Hello", true, loader);

    assertThat(hello.getMethod("get").invoke(null)).isEqualTo("hello from the runtime");
  }

  private RuntimeLoader loader() throws IOException {
    JarFile jar = agentJar();
    return new RuntimeLoader(jar, AgentJarIdentity.of(Path.of(jar.getName())), AGENT_JAR);
  }

  /** An agent jar as the build lays it out: the runtime under jsplice/runtime/, classes renamed. */
  private JarFile agentJar() throws IOException {
    Map<String, byte[]> classes =
        Compiler.with(Jdk.current())
            .compile(
                "r/Hello.java",
                "package r; public class Hello { public static String get() { return \"hello from the runtime\"; } }");
    Path file = dir.resolve("agent.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file))) {
      jar.putNextEntry(new JarEntry("jsplice/runtime/r/Hello.classdata"));
      jar.write(classes.get("r/Hello"));
      jar.putNextEntry(new JarEntry("jsplice/runtime/r/data.txt"));
      jar.write("data".getBytes(StandardCharsets.UTF_8));
    }
    JarFile jar = new JarFile(file.toFile(), false);
    assertThat(RuntimeLoader.holds(jar, "r.Hello")).isTrue();
    return jar;
  }

  private static URL url(String spec) {
    try {
      return Path.of(spec.substring("file:".length())).toUri().toURL();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
