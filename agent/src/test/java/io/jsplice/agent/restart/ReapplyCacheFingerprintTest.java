package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reapplication cache's index remembers the fingerprint of each file it hashed, so that a later
 * start believes an unchanged file without hashing it, and hashes any other as before; it keeps the
 * handed and installed class bytes as they are, so that a start that serves from it compares the
 * handed bytes instead of hashing them.
 */
class ReapplyCacheFingerprintTest {
  private static final byte[] INSTALLED = "installed bytes".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HANDED = "handed".getBytes(StandardCharsets.UTF_8);

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
    ReapplyCache.Binding binding = binding(ReapplyCache.earlier(directory));
    ReapplyCache.Writer writer = new ReapplyCache.Writer(directory, binding, null);
    writer.update("u1", true);
    writer.loaded("a/B", "origin", HANDED, "u1", INSTALLED);
  }

  @Test
  void theIndexKeepsTheFingerprintOfEachFileItHashed() throws IOException {
    ReapplyCache.Earlier earlier = ReapplyCache.earlier(directory);

    String bytesFile = "bytes-" + ServiceRecordStore.sha256(INSTALLED);
    assertThat(earlier.hashed())
        .containsEntry(
            recorded.toString(),
            ServiceRecordStore.sha256(Files.readAllBytes(recorded))
                + " "
                + FileFingerprint.of(recorded))
        .containsKey(bytesFile);
    assertThat(earlier.trustFiles()).containsExactly(FileFingerprint.of(trust) + " " + trust);
    assertThat(earlier.trustDigest()).isEqualTo(Verdicts.trustDigest(List.of(trust)));
    ReapplyCache.Usable usable = ReapplyCache.read(directory, binding(earlier));
    assertThat(usable).isNotNull();
    assertThat(usable.bytes().get(ServiceRecordStore.sha256(INSTALLED))).isEqualTo(INSTALLED);
    assertThat(usable.bytes().get(ServiceRecordStore.sha256(HANDED))).isEqualTo(HANDED);
    assertThat(usable.hashed()).containsKey(bytesFile);
  }

  @Test
  void theBytesFiles_areReadAtTheLoadThatNeedsThem_notAtTheStart() throws IOException {
    // The start reads the index, not the bytes files: one removed after it is missed at the load
    // that needs it, which then falls back to the engine; one still there is read then, verified.
    ReapplyCache.Usable usable =
        ReapplyCache.read(directory, binding(ReapplyCache.earlier(directory)));
    assertThat(usable).isNotNull();
    String installed = ServiceRecordStore.sha256(INSTALLED);
    Files.delete(store.directory().resolve(ReapplyCache.DIRECTORY).resolve("bytes-" + installed));

    assertThat(usable.bytes().get(installed)).isNull();
    assertThat(usable.bytes().get(ServiceRecordStore.sha256(HANDED))).isEqualTo(HANDED);
  }

  @Test
  void aBytesFileOthersCouldWrite_orALinkInItsPlace_isNotBelieved() throws IOException {
    // Owner, mode and fingerprint come from one look at the file: the owner-only rule still holds.
    ReapplyCache.Usable usable =
        ReapplyCache.read(directory, binding(ReapplyCache.earlier(directory)));
    assertThat(usable).isNotNull();
    Path cache = store.directory().resolve(ReapplyCache.DIRECTORY);
    Path installed = cache.resolve("bytes-" + ServiceRecordStore.sha256(INSTALLED));
    Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-rw-r--"));
    Path handed = cache.resolve("bytes-" + ServiceRecordStore.sha256(HANDED));
    Path elsewhere = Files.write(state.resolve("handed-elsewhere"), HANDED);
    Files.delete(handed);
    Files.createSymbolicLink(handed, elsewhere);

    assertThat(usable.bytes().get(ServiceRecordStore.sha256(INSTALLED))).isNull();
    assertThat(usable.bytes().get(ServiceRecordStore.sha256(HANDED))).isNull();
    assertThat(directory.readWithFingerprint(handed.getFileName().toString())).isNull();
  }

  @Test
  void aBelievedBytesFile_isReadWithTheFingerprintItHadBefore() throws IOException {
    String name = "bytes-" + ServiceRecordStore.sha256(INSTALLED);

    OwnerOnlyDirectory.Read read = directory.readWithFingerprint(name);

    assertThat(read.bytes()).isEqualTo(INSTALLED);
    assertThat(read.fingerprintBefore())
        .isNotNull()
        .isEqualTo(directory.fingerprint(name))
        .isEqualTo(
            FileFingerprint.of(store.directory().resolve(ReapplyCache.DIRECTORY).resolve(name)));
  }

  @Test
  void theCacheKeepsTheHandedAndInstalledBytesAsTheyAre() throws IOException {
    Path cache = store.directory().resolve(ReapplyCache.DIRECTORY);

    assertThat(cache.resolve("bytes-" + ServiceRecordStore.sha256(INSTALLED)))
        .hasBinaryContent(INSTALLED);
    assertThat(cache.resolve("bytes-" + ServiceRecordStore.sha256(HANDED)))
        .hasBinaryContent(HANDED);
  }

  @Test
  void unchangedTrustFiles_areBelievedWithoutHashing() throws IOException {
    // What the index says of the trust files, with their fingerprints, is taken as their digest:
    // here another one than theirs, which the binding then carries without reading them.
    String other = "e".repeat(64);
    ReapplyCache.Earlier earlier = ReapplyCache.earlier(directory);
    ReapplyCache.Earlier claimed =
        new ReapplyCache.Earlier(earlier.hashed(), earlier.trustFiles(), other);

    assertThat(binding(claimed).header()).contains("trust " + other);
    assertThat(binding(earlier).header()).contains("trust " + Verdicts.trustDigest(List.of(trust)));
  }

  @Test
  void changedTrustFiles_areHashedAgain_andTheCacheIsIgnored() throws IOException {
    ReapplyCache.Earlier earlier = ReapplyCache.earlier(directory);
    ReapplyCache.Earlier claimed =
        new ReapplyCache.Earlier(earlier.hashed(), earlier.trustFiles(), "e".repeat(64));
    Files.writeString(trust, "another certificate");

    assertThat(binding(claimed).header())
        .contains("trust " + Verdicts.trustDigest(List.of(trust)))
        .doesNotContain("trust " + "e".repeat(64));
    assertThat(ReapplyCache.read(directory, binding(ReapplyCache.earlier(directory)))).isNull();

    // Another trust file beside it (a list the index does not hold): hashed too.
    Path more = Files.writeString(state.resolve("more.pem"), "more");
    ReapplyCache.Binding two =
        ReapplyCache.binding(store, store.read(), List.of(trust, more), claimed);
    assertThat(two.header()).contains("trust " + Verdicts.trustDigest(List.of(trust, more)));
  }

  @Test
  void anUnchangedFile_isBelievedWithoutHashing() throws IOException {
    // What the index says of the recorded file, with the file's fingerprint, is taken as its
    // SHA-256: here another one than the record's, so the binding fails without reading the file.
    String other = "f".repeat(64) + " " + FileFingerprint.of(recorded);

    assertThat(
            binding(new ReapplyCache.Earlier(Map.of(recorded.toString(), other), List.of(), null)))
        .isNull();
    assertThat(binding(ReapplyCache.Earlier.NONE)).isNotNull();
  }

  @Test
  void aChangedFile_isHashedAgain() throws IOException {
    byte[] original = Files.readAllBytes(recorded);
    Files.write(recorded, new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(binding(ReapplyCache.earlier(directory))).isNull();

    // Back to the recorded bytes (another fingerprint): hashed, and it holds again.
    Files.write(recorded, original);
    ReapplyCache.Binding binding = binding(ReapplyCache.earlier(directory));
    assertThat(binding).isNotNull();
    assertThat(ReapplyCache.read(directory, binding)).isNotNull();

    // A bytes file rewritten with other content, installed or handed: read at the load that needs
    // it (not at the start), hashed, and refused, so that load falls back to the engine.
    for (byte[] kept : List.of(INSTALLED, HANDED)) {
      String sha256 = ServiceRecordStore.sha256(kept);
      Path bytesFile = store.directory().resolve(ReapplyCache.DIRECTORY).resolve("bytes-" + sha256);
      byte[] content = Files.readAllBytes(bytesFile);
      Files.write(bytesFile, new byte[] {0}, StandardOpenOption.APPEND);
      assertThat(ReapplyCache.read(directory, binding).bytes().get(sha256)).isNull();
      Files.write(bytesFile, content);
      assertThat(
              ReapplyCache.read(directory, binding(ReapplyCache.earlier(directory)))
                  .bytes()
                  .get(sha256))
          .isEqualTo(kept);
    }
  }

  @Test
  void aLinkedFile_whoseTargetIsWritten_isHashedAgain() throws IOException {
    // A trust file that is a link: its target written, the link untouched.
    Path real = Files.writeString(state.resolve("real.pem"), "certificate");
    Path link = Files.createSymbolicLink(state.resolve("link.pem"), real);
    ReapplyCache.Binding first =
        ReapplyCache.binding(store, store.read(), List.of(link), ReapplyCache.Earlier.NONE);
    ReapplyCache.Earlier claimed =
        new ReapplyCache.Earlier(Map.of(), first.trustFiles(), "e".repeat(64));
    assertThat(ReapplyCache.binding(store, store.read(), List.of(link), claimed).header())
        .contains("trust " + "e".repeat(64));
    Files.writeString(real, "another certificate");
    assertThat(ReapplyCache.binding(store, store.read(), List.of(link), claimed).header())
        .contains("trust " + Verdicts.trustDigest(List.of(link)));

    // A recorded file that is a link: its target written, the link untouched.
    Path copy = Files.write(state.resolve("copy"), Files.readAllBytes(recorded));
    Files.delete(recorded);
    Files.createSymbolicLink(recorded, copy);
    ReapplyCache.Earlier linked =
        new ReapplyCache.Earlier(binding(ReapplyCache.Earlier.NONE).hashed(), List.of(), null);
    assertThat(binding(linked)).isNotNull();
    Files.write(copy, new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(binding(linked)).isNull();
  }

  @Test
  void aServedStartThatHashedFilesAgain_rewritesTheIndex_soTheNextHashesNone() throws IOException {
    // The state directory copied back over itself (as a restore, or cp -a, does): same content,
    // other inodes, so every fingerprint the index holds is stale.
    Path cache = store.directory().resolve(ReapplyCache.DIRECTORY);
    Path installed = cache.resolve("bytes-" + ServiceRecordStore.sha256(INSTALLED));
    Path handed = cache.resolve("bytes-" + ServiceRecordStore.sha256(HANDED));
    for (Path file : List.of(recorded, trust, installed, handed)) {
      copyOverItself(file);
    }
    assertThat(ReapplyCache.earlier(directory).hashed().get(recorded.toString()))
        .doesNotEndWith(" " + FileFingerprint.of(recorded));

    ReapplyCache.Usable served = startAsPremain();

    assertThat(served).isNotNull();
    ReapplyCache.Earlier now = ReapplyCache.earlier(directory);
    assertThat(now.hashed())
        .containsEntry(recorded.toString(), sha256Of(recorded) + " " + FileFingerprint.of(recorded))
        .containsEntry(
            installed.getFileName().toString(),
            sha256Of(installed) + " " + FileFingerprint.of(installed))
        .containsEntry(
            handed.getFileName().toString(), sha256Of(handed) + " " + FileFingerprint.of(handed));
    assertThat(now.trustFiles()).containsExactly(FileFingerprint.of(trust) + " " + trust);
    assertThat(served.hashed()).isEqualTo(served.bytes().believed()).hasSize(2);
    // The next start believes every file as it is: nothing to hash, nothing to rewrite; the cache
    // still holds, with the same loads.
    ReapplyCache.Binding next = binding(now);
    assertThat(ReapplyCache.hashedAgain(now, next)).isFalse();
    String index = directory.read("index");
    assertThat(ReapplyCache.read(directory, next).loads()).isEqualTo(served.loads());
    assertThat(startAsPremain()).isNotNull();
    assertThat(directory.read("index")).isEqualTo(index);
  }

  @Test
  void aServedStartWhoseFilesAreUnchanged_leavesTheIndexAsItIs() throws IOException {
    startAsPremain(); // the first start after the writer: the fingerprints it noted hold
    Path index = store.directory().resolve(ReapplyCache.DIRECTORY).resolve("index");
    String before = FileFingerprint.of(index);

    assertThat(startAsPremain()).isNotNull();

    assertThat(FileFingerprint.of(index)).isEqualTo(before);
  }

  @Test
  void anIndexAnotherJvmRewroteSinceThisStartReadIt_isLeftAsItWroteIt() throws IOException {
    copyOverItself(recorded);
    String index = directory.read("index");
    ReapplyCache.Earlier earlier = ReapplyCache.earlier(index);
    ReapplyCache.Binding binding = binding(earlier);
    ReapplyCache.Usable usable = ReapplyCache.read(directory, index, binding);
    // Meanwhile another JVM's engine notes one more load.
    ReapplyCache.Writer other = new ReapplyCache.Writer(directory, binding, usable);
    other.update("u1", true);
    other.loaded("a/C", "origin", HANDED, "u1", INSTALLED);
    String theirs = directory.read("index");

    assertThat(ReapplyCache.refreshed(directory, index, earlier, binding, usable)).isNotNull();

    assertThat(directory.read("index")).isEqualTo(theirs).contains("load a/C ");
  }

  /** What premain does with the cache ({@code RestartSafety.install}). */
  private ReapplyCache.Usable startAsPremain() throws IOException {
    String index = directory.read("index");
    ReapplyCache.Earlier earlier = ReapplyCache.earlier(index);
    ReapplyCache.Binding binding = binding(earlier);
    ReapplyCache.Usable usable = ReapplyCache.read(directory, index, binding);
    return usable == null
        ? null
        : ReapplyCache.refreshed(directory, index, earlier, binding, usable);
  }

  /** Replaces {@code file} by a copy of itself: same content, mode and times, another inode. */
  private static void copyOverItself(Path file) throws IOException {
    Path copy = file.resolveSibling(file.getFileName() + ".copy");
    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sha256Of(Path file) throws IOException {
    return ServiceRecordStore.sha256(Files.readAllBytes(file));
  }

  private ReapplyCache.Binding binding(ReapplyCache.Earlier earlier) throws IOException {
    return ReapplyCache.binding(store, store.read(), List.of(trust), earlier);
  }
}
