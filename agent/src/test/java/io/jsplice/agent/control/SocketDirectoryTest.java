package io.jsplice.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketDirectoryTest {
  @TempDir Path tmp;
  private final long uid = uid(Path.of("/proc/self"));

  @Test
  void secure_createsAnOwnerOnlyDirectory() throws IOException {
    Path dir = tmp.resolve(".jsplice-" + uid);

    SocketDirectory.secure(dir, uid);

    assertThat(dir).isDirectory();
    assertThat(mode(dir)).isEqualTo("rwx------");
  }

  @Test
  void secure_acceptsItsOwnPrivateDirectory() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    Files.setPosixFilePermissions(dir, SocketDirectory.OWNER_ONLY);

    SocketDirectory.secure(dir, uid);

    assertThat(mode(dir)).isEqualTo("rwx------");
  }

  @Test
  void secure_refusesASymbolicLinkEvenToAGoodDirectory() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Files.setPosixFilePermissions(real, SocketDirectory.OWNER_ONLY);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

    assertThatThrownBy(() -> SocketDirectory.secure(link, uid))
        .isInstanceOf(InsecureSocketDirectoryException.class)
        .hasMessage(link + " is a symbolic link; remove it and load the agent again");
  }

  @Test
  void secure_refusesADirectoryOthersCanEnter() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> SocketDirectory.secure(dir, uid))
        .isInstanceOf(InsecureSocketDirectoryException.class)
        .hasMessageContaining("has mode rwxr-xr-x, not rwx------; remove it or chmod 700 it");
    assertThat(mode(dir)).as("left as it was").isEqualTo("rwxr-xr-x");
  }

  @Test
  void secure_refusesAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "");

    assertThatThrownBy(() -> SocketDirectory.secure(file, uid))
        .isInstanceOf(InsecureSocketDirectoryException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void secure_refusesADirectoryOfAnotherUser() throws IOException {
    assumeThat(uid).as("chown needs root").isZero();
    Path dir = Files.createDirectory(tmp.resolve("theirs"));
    Files.setPosixFilePermissions(dir, SocketDirectory.OWNER_ONLY);
    Files.setAttribute(dir, "unix:uid", 65534);

    assertThatThrownBy(() -> SocketDirectory.secure(dir, uid))
        .isInstanceOf(InsecureSocketDirectoryException.class)
        .hasMessageContaining("is owned by uid 65534, not by this JVM's uid 0");
  }

  private static String mode(Path dir) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
  }

  private static long uid(Path path) {
    try {
      return ((Number) Files.getAttribute(path, "unix:uid")).longValue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
