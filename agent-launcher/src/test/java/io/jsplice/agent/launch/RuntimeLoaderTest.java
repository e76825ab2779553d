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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeLoaderTest {
  private static final URL AGENT_JAR = url("file:/opt/jsplice/jsplice-agent.jar");

  /** A runtime entry as {@code LauncherEntry} hands itself over; its call throws its name. */
  private static final String ENTRY =
      """
      package r;
      import java.util.function.*;
      public final class %1$s implements Function<Object[], Consumer<String>> {
        static {
          if (%1$s.class.getClassLoader() instanceof Consumer<?> launcher) {
            ((Consumer<Object>) launcher).accept(new %1$s());
          }
        }
        public Consumer<String> apply(Object[] arguments) {
          throw new IllegalStateException("%2$s" + java.util.Arrays.toString(arguments));
        }
      }
      """;

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

  @Test
  void takesTheEntryItsEntryClassHandsOver_withoutReflection() throws Exception {
    RuntimeLoader loader = loader();
    assertThat(loader.entry()).isNull();

    Class.forName("r.Entry", true, loader);

    assertThat(loader.entry()).isNotNull();
    assertThat(loader.entry().getClass().getName()).isEqualTo("r.Entry");
    assertThat(loader.entry().getClass().getClassLoader()).isSameAs(loader);
    assertThatThrownBy(() -> loader.entry().apply(new Object[] {"x", true}))
        .hasMessage("started with [x, true]");
  }

  @Test
  void keepsTheFirstEntry_andNeverOneOfAClassItDidNotDefine() throws Exception {
    RuntimeLoader loader = loader();

    loader.accept(
        new Function<Object[], Consumer<String>>() { // the application's, say
          @Override
          public Consumer<String> apply(Object[] arguments) {
            throw new AssertionError("an entry of another loader was called");
          }
        });
    loader.accept("not a function");
    assertThat(loader.entry()).isNull();

    Class.forName("r.Entry", true, loader);
    Class.forName("r.SecondEntry", true, loader);

    assertThat(loader.entry().getClass().getName()).isEqualTo("r.Entry");
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
                Map.of(
                    "r/Hello.java",
                    "package r; public class Hello { public static String get() { return \"hello from the runtime\"; } }",
                    "r/Entry.java",
                    ENTRY.formatted("Entry", "started with "),
                    "r/SecondEntry.java",
                    ENTRY.formatted("SecondEntry", "second entry with ")));
    Path file = dir.resolve("agent.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file))) {
      for (String name : List.of("Hello", "Entry", "SecondEntry")) {
        jar.putNextEntry(new JarEntry("jsplice/runtime/r/" + name + ".classdata"));
        jar.write(classes.get("r/" + name));
      }
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
