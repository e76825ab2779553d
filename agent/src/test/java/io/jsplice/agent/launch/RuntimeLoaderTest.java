package io.jsplice.agent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;

class RuntimeLoaderTest {
  private static final URL AGENT_JAR = url("file:/opt/jsplice/jsplice-agent.jar");

  @Test
  void loadsClassesFromTheNestedJarWithTheAgentJarAsCodeSource() throws Exception {
    RuntimeLoader loader = new RuntimeLoader(runtimeJar(), AGENT_JAR);

    Class<?> hello = Class.forName("r.Hello", true, loader);

    assertThat(hello.getClassLoader()).isSameAs(loader);
    assertThat(hello.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(AGENT_JAR);
    assertThat(hello.getMethod("get").invoke(null)).isEqualTo("hello from the runtime");
  }

  @Test
  void cannotSeeTheApplicationsClasses() throws IOException {
    RuntimeLoader loader = new RuntimeLoader(runtimeJar(), AGENT_JAR);

    assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    assertThatThrownBy(() -> Class.forName(RuntimeLoaderTest.class.getName(), false, loader))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void servesResourcesFromMemory() throws IOException {
    RuntimeLoader loader = new RuntimeLoader(runtimeJar(), AGENT_JAR);

    try (InputStream in = loader.getResourceAsStream("r/data.txt")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data");
    }
    assertThat(loader.getResource("r/data.txt").toString())
        .isEqualTo("jsplice-runtime:/r/data.txt");
    assertThat(loader.getResource("r/absent.txt")).isNull();
  }

  private static byte[] runtimeJar() throws IOException {
    Map<String, byte[]> classes =
        Compiler.with(Jdk.current())
            .compile(
                "r/Hello.java",
                "package r; public class Hello { public static String get() { return \"hello from the runtime\"; } }");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      jar.putNextEntry(new JarEntry("r/Hello.class"));
      jar.write(classes.get("r/Hello"));
      jar.putNextEntry(new JarEntry("r/data.txt"));
      jar.write("data".getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static URL url(String spec) {
    try {
      return Path.of(spec.substring("file:".length())).toUri().toURL();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
