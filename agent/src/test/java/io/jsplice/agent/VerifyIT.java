package io.jsplice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.json.JsonObject;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code verify} op in real JVMs on JDK 17 and 25: it reads back what the JVM loaded, without a
 * safepoint, and compares it with the disk by content.
 */
class VerifyIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A library whose classes HotSpot reconstitutes without some attributes of their class file. */
  private static final String LIB =
      """
      package lib;
      import java.lang.annotation.*;
      import java.util.function.IntSupplier;
      public class Lib {
        @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.TYPE_USE) @interface Checked {}
        private final int limit = 3;
        public enum Mode { FAST, SLOW }
        public int add(int left, int right) {
          Runnable anonymous = new Runnable() { public void run() {} };
          anonymous.run();
          @Checked Integer sum = left + right;
          IntSupplier lambda = () -> sum * limit;
          switch (Mode.FAST) { case FAST: return lambda.getAsInt(); default: return VERSION; }
        }
        public static final int VERSION = 1;
      }
      """;

  private static final String MAIN =
      """
      public class Main {
        static class Helper { int twice(int x) { return 2 * x; } }
        public static void main(String[] args) throws Exception {
          System.out.println("sum " + new Helper().twice(new lib.Lib().add(1, 2)));
          System.out.println("ready");
          Thread.sleep(600_000);
        }
      }
      """;

  @TempDir Path work;

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void verify_findsEveryLoadedClassUnchanged_withoutASafepoint(Jdk jdk) throws IOException {
    Path lib = writeLib(LIB);
    Path app = writeMain(lib);
    Path safepoints = work.resolve("safepoints.log");
    try (TargetJvm jvm = start(jdk, lib, app, "-Xlog:safepoint=info:file=" + safepoints)) {
      jvm.awaitStdout("ready", WAIT);

      JsonObject reply = verify(jvm);

      assertThat(reply.string("verdict")).as(reply.asMap().toString()).isEqualTo("SAME_CODE");
      assertThat(reply.objects("codeSources"))
          .extracting(s -> s.string("state"))
          .containsOnly("UNCHANGED")
          .hasSize(2);
      JsonObject jar = source(reply, "jar");
      // Lib, Lib$1, Lib$Mode, Lib$Checked (and the switch map class javac may add)
      assertThat(jar.number("loadedClasses")).isGreaterThanOrEqualTo(4);
      assertThat(jar.number("unreadable")).isZero();
      assertThat(source(reply, "directory").number("loadedClasses")).isEqualTo(2);
      assertThat(Files.readString(safepoints)).doesNotContain("RedefineClasses");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void verify_namesTheLoadedClassesThatDifferOrAreGoneOnDisk(Jdk jdk) throws IOException {
    Path lib = writeLib(LIB);
    Path app = writeMain(lib);
    try (TargetJvm jvm = start(jdk, lib, app)) {
      jvm.awaitStdout("ready", WAIT);
      // Replaced as package managers do: a new file renamed over the old one.
      Path upgraded = writeLib(LIB.replace("VERSION = 1", "VERSION = 2"));
      Files.move(
          upgraded, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.delete(app.resolve("Main$Helper.class"));

      JsonObject reply = verify(jvm);

      assertThat(reply.string("verdict")).isEqualTo("DIFFERENT_CODE");
      JsonObject jar = source(reply, "jar");
      assertThat(jar.string("state")).isEqualTo("CHANGED");
      assertThat(jar.strings("differing")).containsExactly("lib.Lib");
      JsonObject dir = source(reply, "directory");
      assertThat(dir.string("state")).isEqualTo("CHANGED");
      assertThat(dir.strings("gone")).containsExactly("Main$Helper");
      assertThat(reply.string("line"))
          .startsWith("different code after restart: ")
          .contains(lib + " changed on disk (1 of ");
    }
  }

  private TargetJvm start(Jdk jdk, Path lib, Path app, String... jvmArgs) {
    return TargetJvm.on(jdk)
        .jvmArgs(TestPrograms.javaagent("state=" + work.resolve("state")))
        .jvmArgs(jvmArgs)
        .classpath(app, lib)
        .mainClass("Main")
        .start();
  }

  private static JsonObject verify(TargetJvm jvm) throws IOException {
    JsonObject reply =
        ControlRequests.send(
            ControlRequests.socketOf(jvm.pid()),
            new io.jsplice.protocol.message.VerifyRequest(true));
    assertThat(reply.bool("ok", false)).as(reply.asMap().toString()).isTrue();
    return reply;
  }

  private static JsonObject source(JsonObject reply, String kind) {
    return reply.objects("codeSources").stream()
        .filter(s -> s.string("kind").equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + reply.asMap()));
  }

  private Path writeLib(String source) throws IOException {
    Path jar = Files.createTempFile(work, "lib", ".jar");
    return Jars.write(
        jar,
        Compiler.with(Jdk.current())
            .options("--release", "17", "-parameters", "-g")
            .compile("lib/Lib.java", source));
  }

  private Path writeMain(Path lib) throws IOException {
    return Jars.writeDirectory(
        Files.createDirectories(work.resolve("app")),
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .classpath(lib)
            .compile("Main.java", MAIN));
  }
}
