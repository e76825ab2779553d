package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.json.JsonObject;
import io.jsplice.model.record.CorruptRecordException;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecord;
import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code premain} reads the service record directly ({@link RecordAtStart}) and the JSON codec
 * reads the same text only when the engine needs it: what the direct reading takes is what the
 * codec reads, and any record it does not vouch for is read by the codec at once, as before.
 */
class RecordAtStartTest {
  @TempDir Path state;

  @Test
  void aRecordAsTheStoreWritesIt_isReadDirectly_asTheCodecReadsIt() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "svc");
    store.commit(store.stage(new byte[] {1}), "u1", "me", Instant.now(), List.of("a.B", "a.C"));
    store.commit(
        store.stage(new byte[] {2}),
        "u-2.x_y",
        "you",
        Instant.parse("2024-02-29T23:59:59Z"),
        List.of(),
        true);

    RecordAtStart read = RecordAtStart.read(store);

    assertThat(RecordAtStart.entries(JsonObject.parse(recordText(store)).asMap(), "svc"))
        .isNotNull();
    assertThat(read.entries()).isEqualTo(entriesOf(store.read()));
    assertThat(read.full()).isEqualTo(store.read());
    assertThat(read.fileOf(read.entries().get(0)))
        .isEqualTo(store.fileOf(store.read().updates().get(0)));
  }

  @Test
  void anIdListedTwice_keepsItsPlaceAndItsLastEntry_asTheCodecReadsIt() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "svc");
    String one = entry("u1", "a".repeat(64), "x.A");
    write(
        store,
        one + "," + entry("u2", "b".repeat(64), "x.B") + "," + entry("u1", "c".repeat(64), "x.C"));

    assertThat(RecordAtStart.read(store).entries())
        .isEqualTo(entriesOf(store.read()))
        .extracting(RecordAtStart.Entry::sha256)
        .containsExactly("c".repeat(64), "b".repeat(64));
  }

  @Test
  void whatTheDirectReadingDoesNotVouchFor_isLeftToTheCodec_atOnce() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "svc");
    String good = "\"file\":\"updates/u1.jsplice\",\"sha256\":\"" + "a".repeat(64) + "\",";
    List<String> refused =
        List.of(
            "{\"id\":\"u1\","
                + good
                + "\"appliedAt\":\"2024-02-30T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[]}",
            "{\"id\":\"-u1\","
                + good
                + "\"appliedAt\":\"2024-01-01T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[]}",
            "{\"id\":\"u1\","
                + good
                + "\"appliedAt\":\"2024-01-01T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[1]}",
            "{\"id\":\"u1\",\"file\":\"../u1\",\"sha256\":\""
                + "a".repeat(64)
                + "\",\"appliedAt\":\"2024-01-01T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[]}",
            "{\"id\":\"u1\","
                + good
                + "\"appliedAt\":\"2024-01-01T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[],\"acceptedPartial\":\"yes\"}");
    for (String update : refused) {
      write(store, update);
      assertThat(RecordAtStart.entries(JsonObject.parse(recordText(store)).asMap(), "svc"))
          .as(update)
          .isNull();
      assertThatThrownBy(() -> RecordAtStart.read(store))
          .as(update)
          .isInstanceOf(CorruptRecordException.class)
          .hasMessage(messageOf(store));
    }
    // Taken by the codec, not vouched for directly (a leap second): read by the codec at start.
    write(
        store,
        "{\"id\":\"u1\","
            + good
            + "\"appliedAt\":\"2016-12-31T23:59:60Z\",\"appliedBy\":\"me\",\"classes\":[\"a.B\"]}");
    assertThat(RecordAtStart.entries(JsonObject.parse(recordText(store)).asMap(), "svc")).isNull();
    assertThat(RecordAtStart.read(store).entries()).isEqualTo(entriesOf(store.read()));
  }

  @Test
  void aRecordOfTheSameBytes_isTakenFromWhatAnEarlierStartRemembered_notParsed()
      throws IOException {
    ServiceRecordStore store = twoUpdates();
    OwnerOnlyDirectory cache = ReapplyCache.directory(store);
    RecordAtStart first = RecordAtStart.read(store, cache);
    assertThat(first.remembered()).isFalse();
    first.remember(cache);

    RecordAtStart next = RecordAtStart.read(store, cache);

    assertThat(next.remembered()).isTrue();
    assertThat(next.entries()).isEqualTo(first.entries()).isEqualTo(entriesOf(store.read()));
    assertThat(next.full()).isEqualTo(store.read());
    // Taken as remembered, not parsed: here other entries, remembered for the same bytes.
    List<RecordAtStart.Entry> other =
        List.of(new RecordAtStart.Entry("u9", "updates/u9 x.jsplice", "e".repeat(64), List.of()));
    cache.writeBytes(
        RememberedRecord.FILE,
        RememberedRecord.of(
            Files.readAllBytes(store.recordFile()), other, ReapplyCache.agentIdentity(), "svc"));
    assertThat(RecordAtStart.read(store, cache).entries()).isEqualTo(other);
  }

  @Test
  void aRecordThatDiffersInAByte_orWasRememberedByAnotherAgent_isParsed() throws IOException {
    ServiceRecordStore store = twoUpdates();
    OwnerOnlyDirectory cache = ReapplyCache.directory(store);
    RecordAtStart.read(store, cache).remember(cache);
    byte[] remembered = cache.readBytes(RememberedRecord.FILE);
    Path file = store.directory().resolve(ReapplyCache.DIRECTORY).resolve(RememberedRecord.FILE);

    Files.writeString(store.recordFile(), recordText(store).replace("\"u1\"", "\"u3\""));
    RecordAtStart changed = RecordAtStart.read(store, cache);
    assertThat(changed.remembered()).isFalse();
    assertThat(changed.entries()).isEqualTo(entriesOf(store.read()));
    assertThat(changed.entries().get(0).id()).isEqualTo("u3");
    changed.remember(cache);
    assertThat(RecordAtStart.read(store, cache).remembered()).isTrue();

    byte[] record = Files.readAllBytes(store.recordFile());
    List<RecordAtStart.Entry> entries = entriesOf(store.read());
    for (byte[] notBelieved :
        List.of(
            RememberedRecord.of(record, entries, "another agent", "svc"),
            RememberedRecord.of(record, entries, ReapplyCache.agentIdentity(), "another"),
            Arrays.copyOf(remembered, remembered.length - 3),
            "jsplice record entries 1 x\n".getBytes(StandardCharsets.UTF_8))) {
      cache.writeBytes(RememberedRecord.FILE, notBelieved);
      RecordAtStart read = RecordAtStart.read(store, cache);
      assertThat(read.remembered()).isFalse();
      assertThat(read.entries()).isEqualTo(entries);
    }
    // Written by others than the JVM's user: not believed.
    cache.writeBytes(
        RememberedRecord.FILE,
        RememberedRecord.of(record, List.of(), ReapplyCache.agentIdentity(), "svc"));
    assertThat(RecordAtStart.read(store, cache).entries()).isEmpty();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(RecordAtStart.read(store, cache).entries()).isEqualTo(entries);
  }

  @Test
  void aStateDirectoryCopiedUnderAnotherServiceName_failsAsTheCodecSays_asWithoutTheCache()
      throws IOException {
    ServiceRecordStore store = twoUpdates();
    OwnerOnlyDirectory cache = ReapplyCache.directory(store);
    RecordAtStart.read(store, cache).remember(cache);
    Path copied = state.resolve("other");
    try (var files = Files.walk(store.directory())) {
      for (Path file : files.toList()) {
        Files.copy(
            file,
            copied.resolve(store.directory().relativize(file).toString()),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    ServiceRecordStore other = ServiceRecordStore.at(state, "other");

    assertThatThrownBy(() -> RecordAtStart.read(other, ReapplyCache.directory(other)))
        .isInstanceOf(CorruptRecordException.class)
        .hasMessage(messageOf(other));
  }

  private ServiceRecordStore twoUpdates() throws IOException {
    ServiceRecordStore store = ServiceRecordStore.at(state, "svc");
    store.commit(store.stage(new byte[] {1}), "u1", "me", Instant.now(), List.of("a.B", "a.C"));
    store.commit(store.stage(new byte[] {2}), "u2", "me", Instant.now(), List.of());
    return store;
  }

  @Test
  void theInstantsItVouchesFor_areThoseInstantParseReads() {
    List<String> vouched =
        List.of(
            "1970-01-01T00:00:00Z",
            "2024-02-29T12:34:56.1Z",
            "2026-12-05T02:09:40.861762728Z",
            "9999-12-31T23:59:59.999999999Z",
            Instant.now().toString());
    for (String text : vouched) {
      assertThat(RecordAtStart.isPlainInstant(text)).as(text).isTrue();
      assertThat(Instant.parse(text).toString()).isNotNull();
    }
    List<String> notVouched =
        List.of(
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01T00:00:00+01:00",
            "1969-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-1-01T00:00:00Z");
    for (String text : notVouched) {
      assertThat(RecordAtStart.isPlainInstant(text)).as(text).isFalse();
    }
    assertThatThrownBy(() -> Instant.parse("2023-02-29T00:00:00Z"))
        .isInstanceOf(DateTimeParseException.class);
  }

  private static String entry(String id, String sha256, String className) {
    return "{\"id\":\""
        + id
        + "\",\"file\":\"updates/"
        + id
        + ".jsplice\",\"sha256\":\""
        + sha256
        + "\",\"appliedAt\":\"2024-01-01T00:00:00Z\",\"appliedBy\":\"me\",\"classes\":[\""
        + className
        + "\"]}";
  }

  private static void write(ServiceRecordStore store, String updates) throws IOException {
    Files.createDirectories(store.directory());
    Files.writeString(
        store.recordFile(),
        "{\"format\":1,\"service\":\"" + store.service() + "\",\"updates\":[" + updates + "]}");
  }

  private static String recordText(ServiceRecordStore store) throws IOException {
    return Files.readString(store.recordFile(), StandardCharsets.UTF_8);
  }

  private static String messageOf(ServiceRecordStore store) {
    try {
      store.read();
      throw new AssertionError("the codec read it");
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static List<RecordAtStart.Entry> entriesOf(ServiceRecord record) {
    List<RecordAtStart.Entry> out = new ArrayList<>();
    for (RecordedUpdate u : record.updates()) {
      out.add(new RecordAtStart.Entry(u.id(), u.file(), u.sha256(), u.classes()));
    }
    return out;
  }
}
