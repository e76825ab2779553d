package io.jsplice.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.JvmProcess;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import io.jsplice.testkit.TestUsers;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An attach socket of another user than the JVM's: refused, never used or deleted, with what it
 * most likely is (a stale file of a killed process whose pid the JVM got) and the command that
 * removes it.
 */
class ForeignAttachSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  @Test
  void refusal_ofAFileOlderThanTheJvm_saysItIsStale_andHowToRemoveIt() throws Exception {
    JvmProcess self = JvmProcess.of(ProcessHandle.current().pid());
    Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
    Path socket = staleSocket(dir.resolve(".java_pid" + self.pid()), started.minusSeconds(3600));
    String owner = ownedByAnotherUserIfRoot(socket);

    String refusal = ForeignAttachSocket.refusal(self, socket, uid(socket), gid(socket));

    assertThat(refusal)
        .startsWith("refusing the attach socket " + socket + " of JVM " + self.pid())
        .contains("it belongs to " + owner + " (uid " + uid(socket))
        .contains("not to the JVM's user " + self.user() + " (uid " + self.uid())
        .contains(
            "last modified "
                + started.minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS)
                + ", before the JVM started ("
                + started.truncatedTo(ChronoUnit.SECONDS)
                + "): it is stale, most likely left by a killed earlier process with pid "
                + self.namespacePid())
        .endsWith("rm " + socket + ", then try again");
    assertThat(socket).exists();
  }

  @Test
  void refusal_ofAFileMadeWhileTheJvmRan_doesNotCallItStale() throws Exception {
    JvmProcess self = JvmProcess.of(ProcessHandle.current().pid());
    Path socket = Files.writeString(dir.resolve(".java_pid" + self.pid()), "");
    ownedByAnotherUserIfRoot(socket);

    String refusal = ForeignAttachSocket.refusal(self, socket, uid(socket), gid(socket));

    assertThat(refusal)
        .contains(", after the JVM started (")
        .contains("another user's process made it while this JVM ran; find out why")
        .doesNotContain("stale")
        .endsWith("rm " + socket + ", then try again");
    assertThat(socket).exists();
  }

  /**
   * The case the machine's hazard makes: root's test JVM of pid N was killed and left {@code
   * /tmp/.java_pidN}; a JVM of jsplice-a now has pid N. Attaching is refused with the diagnosis,
   * the file stays, and the JVM is left alone (no signal, no trigger file).
   */
  @ParameterizedTest
  @MethodSource("io.jsplice.testkit.Jdk#underTest")
  void of_refusesAStaleSocketOfAnotherUserInTheJvmsTmp_andLeavesItThere(Jdk jdk) throws Exception {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    TestUsers.User a = TestUsers.a();
    Path readable = TestUsers.readableDirectory("jsplice-foreign-socket-");
    try (TargetJvm jvm = SleeperJvm.startAs(jdk, a, readable)) {
      jvm.awaitStdout("sleeping", WAIT);
      JvmProcess target = JvmProcess.of(jvm.pid());
      Instant started = ProcessHandle.of(jvm.pid()).orElseThrow().info().startInstant().get();
      Path socket = Path.of("/tmp", ".java_pid" + jvm.pid());
      Files.deleteIfExists(socket); // a leftover of this machine's own killed JVMs
      try {
        staleSocket(socket, started.minusSeconds(600));

        assertThatThrownBy(() -> AttachListener.of(target, WAIT))
            .isInstanceOf(AgentUnavailableException.class)
            .hasMessageStartingWith("refusing the attach socket " + socket + " of JVM " + jvm.pid())
            .hasMessageContaining("it belongs to root (uid 0 gid 0)")
            .hasMessageContaining("not to the JVM's user " + a.name())
            .hasMessageContaining("before the JVM started")
            .hasMessageContaining("rm " + socket);
        assertThat(Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
        assertThat(
                Files.getLastModifiedTime(socket, LinkOption.NOFOLLOW_LINKS)
                    .toInstant()
                    .truncatedTo(ChronoUnit.SECONDS))
            .isEqualTo(started.minusSeconds(600).truncatedTo(ChronoUnit.SECONDS));
        assertThat(Path.of("/proc", Long.toString(jvm.pid()), "cwd", ".attach_pid" + jvm.pid()))
            .doesNotExist();
        assertThat(jvm.isAlive()).isTrue();
        assertThat(jvm.stdout()).doesNotContain("Full thread dump");
      } finally {
        Files.deleteIfExists(socket);
      }
    } finally {
      Compiler.deleteTree(readable);
    }
  }

  /**
   * Root attaching to a JVM of root's: the socket must be root's too. A socket another user owns
   * (here jsplice-b's, made while the JVM ran) is refused with its owner named, never used or
   * deleted, and the JVM gets no signal.
   */
  @ParameterizedTest
  @MethodSource("io.jsplice.testkit.Jdk#underTest")
  void of_asRoot_refusesTheAttachSocketOfARootJvmThatAnotherUserOwns(Jdk jdk) throws Exception {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    TestUsers.User b = TestUsers.b();
    try (TargetJvm jvm = SleeperJvm.start(jdk, dir)) {
      jvm.awaitStdout("sleeping", WAIT);
      JvmProcess target = JvmProcess.of(jvm.pid());
      assertThat(target.uid()).isZero();
      Path socket = Path.of("/tmp", ".java_pid" + jvm.pid());
      Files.deleteIfExists(socket); // a leftover of this machine's own killed JVMs
      try {
        staleSocket(socket, Instant.now());
        TestUsers.chown(socket, b);

        assertThatThrownBy(() -> AttachListener.of(target, WAIT))
            .isInstanceOf(AgentUnavailableException.class)
            .hasMessageStartingWith("refusing the attach socket " + socket + " of JVM " + jvm.pid())
            .hasMessageContaining("it belongs to " + b.name())
            .hasMessageContaining("not to the JVM's user root (uid 0 gid 0)")
            .hasMessageContaining("rm " + socket);
        assertThat(Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo(b.name());
        assertThat(Path.of("/proc", Long.toString(jvm.pid()), "cwd", ".attach_pid" + jvm.pid()))
            .doesNotExist();
        assertThat(jvm.isAlive()).isTrue();
        assertThat(jvm.stdout()).doesNotContain("Full thread dump");
      } finally {
        Files.deleteIfExists(socket);
      }
    }
  }

  /** A Unix socket bound at {@code path} and closed, as a killed JVM leaves its listener's. */
  private static Path staleSocket(Path path, Instant modified) throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
    }
    Files.setLastModifiedTime(path, FileTime.from(modified));
    return path;
  }

  /** As root (CI), gives the file to jsplice-b; the owner's name. */
  private static String ownedByAnotherUserIfRoot(Path file) throws IOException {
    if (TestUsers.cannotRun() == null) {
      TestUsers.chown(file, TestUsers.b());
    }
    return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
  }

  private static long uid(Path file) throws IOException {
    return ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  private static long gid(Path file) throws IOException {
    return ((Number) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }
}
