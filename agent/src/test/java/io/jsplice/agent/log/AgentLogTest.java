package io.jsplice.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLogTest {
  @TempDir Path dir;

  @Test
  void toFile_writesTimestampedLinesWithLevelPidAndThread() throws IOException {
    Path file = dir.resolve("state/agent.log");
    AgentLog log = AgentLog.toFile(file);

    log.info("hello");
    log.error("it broke", new IllegalStateException("why"));

    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0))
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  pid "
                + ProcessHandle.current().pid()
                + " \\[main\\] hello");
    assertThat(lines.get(1)).contains("ERROR").endsWith("it broke");
    assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: why");
    assertThat(log.target()).isEqualTo(file.toString());
  }

  @Test
  void timestamp_isWhatJavaTimeWrites() {
    DateTimeFormatter iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    List<Long> instants =
        new ArrayList<>(
            List.of(
                0L,
                1L,
                86_399_999L,
                Instant.parse("2000-02-29T23:59:59.999Z").toEpochMilli(),
                Instant.parse("2000-03-01T00:00:00Z").toEpochMilli(),
                Instant.parse("2024-12-31T12:00:00.001Z").toEpochMilli(),
                Instant.parse("2100-02-28T00:00:00Z").toEpochMilli(),
                Instant.parse("2100-03-01T00:00:00Z").toEpochMilli(),
                Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
                System.currentTimeMillis()));
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      instants.add(Math.floorMod(random.nextLong(), 253_402_300_800_000L)); // years 1970-9999
    }

    for (long millis : instants) {
      assertThat(AgentLog.timestamp(millis))
          .as("%d", millis)
          .isEqualTo(iso.format(Instant.ofEpochMilli(millis)));
    }
  }

  @Test
  void toFile_createsAPrivateFileInAPrivateDirectory() throws IOException {
    Path file = dir.resolve("new/agent.log");

    AgentLog.toFile(file).info("x");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void toFile_appendsToAnExistingLog() throws IOException {
    Path file = dir.resolve("agent.log");
    AgentLog.toFile(file).info("first");

    AgentLog.toFile(file).info("second");

    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void toFile_refusesASymbolicLink() throws IOException {
    Path target = Files.writeString(dir.resolve("elsewhere"), "");
    Path link = Files.createSymbolicLink(dir.resolve("agent.log"), target);

    assertThatThrownBy(() -> AgentLog.toFile(link)).isInstanceOf(IOException.class);
  }

  @Test
  void concurrentWriters_neverInterleaveWithinALine() throws Exception {
    Path file = dir.resolve("agent.log");
    AgentLog log = AgentLog.toFile(file);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String word = "writer" + t + "-".repeat(200);
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  log.info(word);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(Files.readAllLines(file))
        .hasSize(1600)
        .allSatisfy(
            line ->
                assertThat(line).matches(".* INFO  pid \\d+ \\[Thread-\\d+\\] writer\\d-{200}"));
  }

  @Test
  void discarding_dropsEverythingAndSaysWhy() {
    AgentLog log = AgentLog.discarding("no home");

    log.warn("lost");

    assertThat(log.target()).isEqualTo("none (no home)");
  }
}
