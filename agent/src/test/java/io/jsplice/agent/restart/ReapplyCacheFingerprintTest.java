package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reapplication cache's index remembers the fingerprint of each file it hashed, so that a later
 * start believes an unchanged file without hashing it, and hashes any other as before.
 */
class ReapplyCacheFingerprintTest {
  private static final byte[] INSTALLED = "installed bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path state;
  private ServiceRecordStore store;
  private Path recorded;
  private Path trust;
  private OwnerOnlyDirectory directory;

  @BeforeEach
  void aStartThatFilledTheCache() throws IOException {
    store = ServiceRecordStore.at(state, "svc");
    RecordedUpdate entry =
        store.commit(
            store.stage("update one".getBytes(StandardCharsets.UTF_8)),
            "u1",
            "me",
            Instant.now(),
            List.of("a.B"));
    recorded = store.fileOf(entry);
    trust = Files.writeString(state.resolve("trust.pem"), "certificate");
    directory = ReapplyCache.directory(store);
    ReapplyCache.Binding binding = binding(ReapplyCache.hashed(directory));
    ReapplyCache.Writer writer = new ReapplyCache.Writer(directory, binding, null);
    writer.update("u1", true);
    writer.loaded("a/B", "origin", "handed".getBytes(StandardCharsets.UTF_8), "u1", INSTALLED);
  }

  @Test
  void theIndexKeepsTheFingerprintOfEachFileItHashed() throws IOException {
    Map<String, String> hashed = ReapplyCache.hashed(directory);

    String bytesFile = "bytes-" + ServiceRecordStore.sha256(INSTALLED);
    assertThat(hashed)
        .containsEntry(
            recorded.toString(),
            ServiceRecordStore.sha256(Files.readAllBytes(recorded))
                + " "
                + FileFingerprint.of(recorded))
        .containsKey(bytesFile);
    ReapplyCache.Usable usable = ReapplyCache.read(directory, binding(hashed));
    assertThat(usable).isNotNull();
    assertThat(usable.installed().values()).singleElement().isEqualTo(INSTALLED);
    assertThat(usable.hashed()).containsKey(bytesFile);
  }

  @Test
  void anUnchangedFile_isBelievedWithoutHashing() throws IOException {
    // What the index says of the recorded file, with the file's fingerprint, is taken as its
    // SHA-256: here another one than the record's, so the binding fails without reading the file.
    String other = "f".repeat(64) + " " + FileFingerprint.of(recorded);

    assertThat(binding(Map.of(recorded.toString(), other))).isNull();
    assertThat(binding(Map.of())).isNotNull();
  }

  @Test
  void aChangedFile_isHashedAgain() throws IOException {
    byte[] original = Files.readAllBytes(recorded);
    Files.write(recorded, new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(binding(ReapplyCache.hashed(directory))).isNull();

    // Back to the recorded bytes (another fingerprint): hashed, and it holds again.
    Files.write(recorded, original);
    ReapplyCache.Binding binding = binding(ReapplyCache.hashed(directory));
    assertThat(binding).isNotNull();
    assertThat(ReapplyCache.read(directory, binding)).isNotNull();

    // A bytes file rewritten with other content: hashed, so the cache is ignored.
    Path bytesFile =
        store
            .directory()
            .resolve(ReapplyCache.DIRECTORY)
            .resolve("bytes-" + ServiceRecordStore.sha256(INSTALLED));
    String text = Files.readString(bytesFile);
    Files.writeString(bytesFile, (text.charAt(0) == 'A' ? 'B' : 'A') + text.substring(1));
    assertThat(ReapplyCache.read(directory, binding)).isNull();
  }

  private ReapplyCache.Binding binding(Map<String, String> hashed) throws IOException {
    return ReapplyCache.binding(store, store.read(), List.of(trust), hashed);
  }
}
