package io.jsplice.cli.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
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
