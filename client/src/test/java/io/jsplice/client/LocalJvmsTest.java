package io.jsplice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import io.jsplice.testkit.TestUsers;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What root reads of a JVM its user started from a JDK of their own. */
class LocalJvmsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Issue 14: jsplice-a runs a JVM from a JDK of their own (a copy in their directory, as sdkman
   * installs them) whose {@code release} file is a FIFO. Root's listing opened it for the JDK's
   * version, and that open never returned: it held root's {@code jsplice ps} and the root daemon's
   * discovery of every JVM on the host. Root now reads no file there that the JVM's user could
   * replace: the JVM is listed, its version unknown, and the FIFO left alone.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void describe_asRoot_readsNoReleaseFileTheJvmsUserCouldReplace_likeAFifo() throws Exception {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    TestUsers.User a = TestUsers.a();
    Path readable = TestUsers.readableDirectory("jsplice-own-jdk-");
    try {
      Path home = Files.createDirectories(readable.resolve("jdk"));
      Path bin = Files.createDirectories(home.resolve("bin"));
      Path java = Files.copy(Jdk.current().java().toRealPath(), bin.resolve("java"));
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createSymbolicLink(
          home.resolve("lib"), Jdk.current().java().toRealPath().getParent().resolveSibling("lib"));
      Path release = home.resolve("release");
      Process mkfifo = new ProcessBuilder("mkfifo", release.toString()).inheritIO().start();
      assertThat(mkfifo.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(mkfifo.exitValue()).isZero();
      for (Path path : List.of(home, bin, java, release)) {
        TestUsers.chown(path, a);
      }
      Path classes = TestUsers.readableCopy(sleeper(readable), readable);
      try (TargetJvm jvm =
          TargetJvm.on(new Jdk(home, Jdk.current().feature()))
              .asUser(a)
              .classpath(classes)
              .directory(readable)
              .mainClass("Sleeper")
              .start()) {
        jvm.awaitStdout("sleeping", WAIT);

        LocalJvm described = LocalJvms.describe(jvm.pid());

        assertThat(described).isNotNull();
        assertThat(described.pid()).isEqualTo(jvm.pid());
        assertThat(described.javaVersion()).isNull();
        assertThat(
                Files.readAttributes(release, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isOther())
            .as("still a FIFO")
            .isTrue();
      }
    } finally {
      Compiler.deleteTree(readable);
    }
  }

  private static Path sleeper(Path dir) throws Exception {
    Path classes = Files.createDirectories(dir.resolve("sleeper-build"));
    Jars.writeDirectory(
        classes,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile(
                "Sleeper.java",
                """
                public class Sleeper {
                  public static void main(String[] args) throws Exception {
                    System.out.println("sleeping");
                    Thread.sleep(600_000);
                  }
                }
                """));
    return classes;
  }
}
