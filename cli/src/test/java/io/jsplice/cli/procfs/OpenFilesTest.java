package io.jsplice.cli.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class OpenFilesTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void fileHeldOpen_isTheFileAtItsPath(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    try (var held = Files.newByteChannel(jar)) {
      OpenFiles.OpenFile file = OpenFiles.of(SELF).openedAs(jar).orElseThrow();
      assertThat(file.isFileAt(jar)).isTrue();
      assertThat(file.deleted()).isFalse();
    }
  }

  @Test
  void fileReplacedByRename_theHeldOneIsAnotherFileStillReadable(@TempDir Path dir)
      throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    try (var held = Files.newByteChannel(jar)) {
      Path next = Files.write(dir.resolve(".next"), new byte[] {1, 2, 4});
      Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      OpenFiles.OpenFile file = OpenFiles.of(SELF).openedAs(jar).orElseThrow();
      assertThat(file.deleted()).isTrue();
      assertThat(file.isFileAt(jar)).isFalse();
      assertThat(file.sameContentAs(jar)).isFalse();
      assertThat(Files.readAllBytes(file.handle())).containsExactly(1, 2, 3);
    }
  }

  @Test
  void fileReplacedByAnIdenticalCopy_sameContent(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    try (var held = Files.newByteChannel(jar)) {
      Path next = Files.write(dir.resolve(".next"), new byte[] {1, 2, 3});
      Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

      OpenFiles.OpenFile file = OpenFiles.of(SELF).openedAs(jar).orElseThrow();
      assertThat(file.isFileAt(jar)).isFalse();
      assertThat(file.sameContentAs(jar)).isTrue();
    }
  }

  // Root's `jsplice stale` compares a JVM's jar with the file at its path, both its user's: a FIFO
  // there made root's open wait for a writer for ever. Guarded by a timeout in a thread of its own:
  // on the code before, the test thread never returns from the open.
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sameContentAs_aFifoSwappedInAtThePath_isRefusedUnopened(@TempDir Path dir) throws Exception {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[0]);
    try (var held = Files.newByteChannel(jar)) {
      OpenFiles.OpenFile file = OpenFiles.of(SELF).openedAs(jar).orElseThrow();
      Files.delete(jar);
      mkfifo(jar);

      assertThatThrownBy(() -> file.sameContentAs(jar))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not a regular file");
    }
  }

  // What is opened may not be what was checked: here the held side is a FIFO (a JVM's user may
  // close a descriptor and open a FIFO under its number). The read gives up at its bound.
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sameContentAs_aFileThatBlocksWhenOpened_isUnreadableAtTheBound(@TempDir Path dir)
      throws Exception {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[0]);
    Path fifo = mkfifo(dir.resolve("fifo"));
    OpenFiles.OpenFile file = new OpenFiles.OpenFile(fifo, jar.toString(), false, 0, 0);
    // No writer ever comes: the bound, however short, is always what ends the wait. The reading
    // thread (a daemon) stays blocked until this JVM exits, as a real one does until the user's.
    assertThatThrownBy(() -> file.sameContentAs(jar, Duration.ofMillis(100)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("could not be read within");
  }

  private static Path mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    return path;
  }

  @Test
  void fileNotHeld_nothing(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1});
    assertThat(OpenFiles.of(SELF).openedAs(jar)).isEmpty();
  }

  @Test
  void anotherUsersProcessOrNone_nothingKnown() {
    assertThat(OpenFiles.of(Long.MAX_VALUE).known()).isFalse();
  }

  @Test
  void jarFileOpenedByTheJdk_isFound(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("lib.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
      out.write('a');
    }
    try (JarFile held = new JarFile(jar.toFile())) {
      assertThat(OpenFiles.of(SELF).openedAs(jar)).isPresent();
    }
  }
}
