package io.jsplice.model.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRecordStoreTest {
  private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

  @TempDir Path state;

  @Test
  void commit_recordsTheUpdatesInOrderWithTheirFiles() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");

    commit(store, "first", "one");
    commit(store, "second", "two");

    ServiceRecord record = store.read();
    assertThat(record.service()).isEqualTo("billing");
    assertThat(record.updates()).extracting(RecordedUpdate::id).containsExactly("first", "second");
    RecordedUpdate first = record.updates().get(0);
    assertThat(first.file()).isEqualTo("updates/first.jsplice");
    assertThat(store.fileOf(first)).hasContent("one");
    assertThat(first.sha256())
        .isEqualTo(ServiceRecordStore.sha256("one".getBytes(StandardCharsets.UTF_8)));
    assertThat(first.appliedAt()).isEqualTo(AT);
    assertThat(first.appliedBy()).isEqualTo("ops");
    assertThat(first.classes()).containsExactly("p.Fixed", "p.Fixed$Inner");
  }

  @Test
  void commit_ofARecordedIdReplacesItsEntryInPlace() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    commit(store, "first", "one");
    commit(store, "second", "two");

    commit(store, "first", "one, rebuilt");

    ServiceRecord record = store.read();
    assertThat(record.updates()).extracting(RecordedUpdate::id).containsExactly("first", "second");
    assertThat(store.fileOf(record.updates().get(0))).hasContent("one, rebuilt");
  }

  @Test
  void remove_dropsTheEntryAndItsFile() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    RecordedUpdate first = commit(store, "first", "one");
    commit(store, "second", "two");

    assertThat(store.remove("first")).isTrue();
    assertThat(store.remove("first")).isFalse();

    assertThat(store.read().updates()).extracting(RecordedUpdate::id).containsExactly("second");
    assertThat(store.fileOf(first)).doesNotExist();
  }

  @Test
  void read_ofAServiceWithoutARecordIsEmptyAndCreatesNothing() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "new-service");

    assertThat(store.read().updates()).isEmpty();
    assertThat(store.remove("anything")).isFalse();
    assertThat(store.directory()).doesNotExist();
  }

  @Test
  void read_refusesAMalformedRecordOrOneOfAnotherService() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    Files.createDirectories(store.directory());

    Files.writeString(store.recordFile(), "{\"format\": 1, \"service\": \"billing\", \"upd");
    assertThatThrownBy(store::read)
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("applied.json is not valid JSON");

    Files.writeString(
        store.recordFile(), "{\"format\": 1, \"service\": \"orders\", \"updates\": []}");
    assertThatThrownBy(store::read)
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("record of service 'orders'");

    Files.writeString(store.recordFile(), "{\"format\": 2, \"service\": \"billing\"}");
    assertThatThrownBy(store::read)
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("format 2");
  }

  @Test
  void read_ofGarbage_saysWhichFileAndWhatIsWrong() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    Files.createDirectories(store.directory());
    Files.write(store.recordFile(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

    assertThatThrownBy(store::read)
        .isInstanceOf(CorruptRecordException.class)
        .hasMessage(store.recordFile() + " is not a record: it is not UTF-8 text (4 bytes)");
  }

  @Test
  void read_ofARecordListingAnUpdateTwice_keepsEveryUpdate() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    commit(store, "first", "one");
    commit(store, "second", "two");
    String json = Files.readString(store.recordFile());
    int second = json.indexOf("{", json.indexOf("\"updates\""));
    String firstEntry = json.substring(second, json.indexOf("}", second) + 1);
    Files.writeString(
        store.recordFile(), json.replace("\"updates\": [", "\"updates\": [" + firstEntry + ","));
    assertThat(Files.readString(store.recordFile()).split("\"id\": \"first\"", -1)).hasSize(3);

    assertThat(store.read().updates())
        .extracting(RecordedUpdate::id)
        .containsExactly("first", "second");
  }

  @Test
  void stage_removesWhatAnApplyKilledMidwayStaged_andNothingInFlight() throws Exception {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    Path updates = store.directory().resolve("updates");
    Path ours = store.stage(new byte[] {1});
    try (TargetJvm stager = stager("in-flight")) {
      stager.awaitStdout("staged", Duration.ofSeconds(60));
      try (TargetJvm killed = stager("killed")) {
        killed.awaitStdout("staged", Duration.ofSeconds(60));
        killed.kill(); // kill -9: its lock goes with it, its files stay
        assertThat(staged(updates)).hasSize(6);

        store.discard(store.stage(new byte[] {2}));

        assertThat(staged(updates))
            .as("this JVM's and the live stager's, each with its lock file")
            .hasSize(4)
            .contains(ours.getFileName().toString());
      }
    }
    store.commit(ours, "first", "ops", AT, List.of());
    store.discard(store.stage(new byte[] {3}));
    assertThat(staged(updates)).isEmpty();
  }

  private TargetJvm stager(String name) {
    return TargetJvm.on(Jdk.current())
        .classpath(
            Stream.of(System.getProperty("java.class.path").split(":"))
                .map(Path::of)
                .toArray(Path[]::new))
        .mainClass(Stager.class.getName())
        .args(state.toString(), "billing", name)
        .start();
  }

  private static List<String> staged(Path updates) throws IOException {
    try (Stream<Path> files = Files.list(updates)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".staged-"))
          .toList();
    }
  }

  /** Stages an update, says "staged", then waits to be killed; run as a process of its own. */
  public static final class Stager {
    public static void main(String[] args) throws Exception {
      ServiceRecordStore.at(Path.of(args[0]), args[1])
          .stage(args[2].getBytes(StandardCharsets.UTF_8));
      System.out.println("staged");
      System.in.read();
    }
  }

  @Test
  void changes_leaveNoTemporaryFileAndKeepEverythingPrivate() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    commit(store, "first", "one");
    Path discarded = store.stage(new byte[] {1});
    store.discard(discarded);
    commit(store, "second", "two");
    store.remove("second");

    try (Stream<Path> files = Files.walk(store.directory())) {
      assertThat(files.map(p -> store.directory().relativize(p).toString()))
          .containsExactlyInAnyOrder(
              "", ".lock", "applied.json", "updates", "updates/first.jsplice");
    }
    assertThat(mode(store.directory())).isEqualTo("rwx------");
    assertThat(mode(store.directory().resolve("updates"))).isEqualTo("rwx------");
    assertThat(mode(store.recordFile())).isEqualTo("rw-------");
    assertThat(mode(store.directory().resolve("updates/first.jsplice"))).isEqualTo("rw-------");
  }

  @Test
  void at_refusesServiceNamesThatLeaveTheStateDirectory() {
    for (String bad : List.of("..", ".", "a/b", "", "x".repeat(65))) {
      assertThatThrownBy(() -> ServiceRecordStore.at(state, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void commits_fromJvmsOfOneServiceAtOnce_loseNothing() throws IOException {
    String classpath = System.getProperty("java.class.path");
    List<TargetJvm> writers = new ArrayList<>();
    try {
      for (String name : List.of("a", "b", "c")) {
        writers.add(
            TargetJvm.on(Jdk.current())
                .classpath(Stream.of(classpath.split(":")).map(Path::of).toArray(Path[]::new))
                .mainClass(RecordWriter.class.getName())
                .args(state.toString(), "billing", name, "25")
                .start());
      }
      for (TargetJvm writer : writers) {
        assertThat(writer.awaitExit(Duration.ofSeconds(60))).as(writer.outputs()).isZero();
      }
    } finally {
      writers.forEach(TargetJvm::close);
    }

    ServiceRecordStore store = ServiceRecordStore.at(state, "billing");
    ServiceRecord record = store.read();
    assertThat(record.updates()).hasSize(75);
    for (RecordedUpdate u : record.updates()) {
      assertThat(ServiceRecordStore.sha256(Files.readAllBytes(store.fileOf(u))))
          .isEqualTo(u.sha256());
    }
  }

  /** Commits {@code count} updates named {@code PREFIX-N}; run as a process of its own. */
  public static final class RecordWriter {
    public static void main(String[] args) throws IOException {
      ServiceRecordStore store = ServiceRecordStore.at(Path.of(args[0]), args[1]);
      for (int i = 0; i < Integer.parseInt(args[3]); i++) {
        String id = args[2] + "-" + i;
        store.commit(
            store.stage(id.getBytes(StandardCharsets.UTF_8)), id, "test", AT, List.of("p.C" + i));
      }
    }
  }

  private static RecordedUpdate commit(ServiceRecordStore store, String id, String content)
      throws IOException {
    Path staged = store.stage(content.getBytes(StandardCharsets.UTF_8));
    return store.commit(staged, id, "ops", AT, List.of("p.Fixed", "p.Fixed$Inner"));
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
