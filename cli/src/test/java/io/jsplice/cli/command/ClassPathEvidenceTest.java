package io.jsplice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.cli.procfs.OpenFiles;
import io.jsplice.cli.procfs.ProcessStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the agent, {@code stale} must never miss a jar replaced underneath a JVM, however close
 * to its start: the clocks are given here, not waited for.
 */
class ClassPathEvidenceTest {
  private static final OpenFiles NONE = OpenFiles.of(Long.MAX_VALUE);

  @Test
  void changedInsideTheIntervalTheStartIsKnownTo_possiblyAfterIt(@TempDir Path dir)
      throws IOException {
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[] {1});
    Instant changed = ctime(jar);
    // What Linux tells for a JVM that started 300 ms before the change: its earliest start is
    // up to a second earlier than the real one when only the boot second is known.
    ProcessStart start = new ProcessStart(changed.minusMillis(900), changed.plusMillis(110));

    List<ClassPathEvidence.Change> changes = ClassPathEvidence.changes(List.of(jar), start, NONE);

    assertThat(changes).singleElement().satisfies(c -> assertThat(c.certain()).isFalse());
  }

  @Test
  void changedAfterTheLatestPossibleStart_certain(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[] {1});
    Instant changed = ctime(jar);
    ProcessStart start = new ProcessStart(changed.minusSeconds(3), changed.minusSeconds(2));

    assertThat(ClassPathEvidence.changes(List.of(jar), start, NONE))
        .singleElement()
        .satisfies(c -> assertThat(c.certain()).isTrue());
  }

  @Test
  void changedBeforeTheEarliestPossibleStart_nothing(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[] {1});
    Instant changed = ctime(jar);
    ProcessStart start = new ProcessStart(changed.plusSeconds(1), changed.plusSeconds(2));

    assertThat(ClassPathEvidence.changes(List.of(jar), start, NONE)).isEmpty();
  }

  @Test
  void jarHeldOpenAndReplaced_reportedWhateverTheClocksSay(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[] {1, 2});
    try (var held = Files.newByteChannel(jar)) {
      Path next = Files.write(dir.resolve(".next.jar"), new byte[] {3, 4});
      Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      // A start "after" the change: the change time alone would say nothing.
      Instant later = ctime(jar).plusSeconds(10);
      ProcessStart start = new ProcessStart(later, later.plusSeconds(1));

      List<ClassPathEvidence.Change> changes =
          ClassPathEvidence.changes(
              List.of(jar), start, OpenFiles.of(ProcessHandle.current().pid()));

      assertThat(changes)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.certain()).isTrue();
                assertThat(c.what()).contains("replaced after the JVM opened it");
              });
    }
  }

  @Test
  void jarHeldOpenAndReplacedByAnIdenticalCopy_nothing(@TempDir Path dir) throws IOException {
    Path jar = Files.write(dir.resolve("lib.jar"), new byte[] {1, 2});
    try (var held = Files.newByteChannel(jar)) {
      Path next = Files.write(dir.resolve(".next.jar"), new byte[] {1, 2});
      Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Instant changed = ctime(jar);
      ProcessStart start = new ProcessStart(changed.minusSeconds(5), changed.minusSeconds(4));

      assertThat(
              ClassPathEvidence.changes(
                  List.of(jar), start, OpenFiles.of(ProcessHandle.current().pid())))
          .isEmpty();
    }
  }

  @Test
  void gone_certain(@TempDir Path dir) {
    Instant now = Instant.now();
    assertThat(
            ClassPathEvidence.changes(
                List.of(dir.resolve("gone.jar")), new ProcessStart(now, now), NONE))
        .singleElement()
        .satisfies(c -> assertThat(c.what()).isEqualTo("gone from disk"));
  }

  @Test
  void relativeEntries_resolvedAgainstTheJvmsWorkingDirectory(@TempDir Path dir) {
    Properties properties = new Properties();
    properties.setProperty("user.dir", dir.toString());
    properties.setProperty(
        "java.class.path", "lib/a.jar" + java.io.File.pathSeparator + "/x/b.jar");

    assertThat(ClassPathEvidence.entries(properties))
        .containsExactly(dir.resolve("lib/a.jar"), Path.of("/x/b.jar"));
  }

  private static Instant ctime(Path file) throws IOException {
    return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
  }
}
