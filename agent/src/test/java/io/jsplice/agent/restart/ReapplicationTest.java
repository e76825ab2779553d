package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReapplicationTest {
  private static final String ID = "CVE-2022-42889";
  private static final String INSTALLED = "jsplice/install/p/Guard.class";

  @TempDir static Path keys;
  @TempDir Path state;
  private static SigningKey ours;
  private static List<Path> trust;
  private ServiceRecordStore store;
  private UpdatePackage signed;

  @BeforeAll
  static void generateKeys() throws IOException {
    Path pem = keys.resolve("ours.pem");
    ours =
        KeyGeneration.generate(
            keys.resolve("ours.p12"), "test-password".toCharArray(), "CN=ours", pem);
    trust = List.of(pem);
  }

  @BeforeEach
  void serviceWithOneSignedUpdateRecorded() throws Exception {
    store = ServiceRecordStore.at(state, "svc");
    Path file = state.resolve("u.jsplice");
    signed = update();
    UpdateFile.write(signed, ours, file);
    record(Files.readAllBytes(file));
  }

  @Test
  void aFileVerifiedBefore_isReadWithoutTheKeys() throws Exception {
    Reapplication.verified(store, entry(), new Reapplication.Keys(trust, verdicts()));

    // The keys are never read: a trust path that does not exist would refuse the update otherwise.
    Reapplication.Keys unreadable =
        new Reapplication.Keys(List.of(state.resolve("absent.pem")), verdicts());
    UpdatePackage again = Reapplication.verified(store, entry(), unreadable);

    assertThat(again.update().id()).isEqualTo(ID);
    assertThat(again.installBytes("p.Guard"))
        .hasValueSatisfying(
            b -> assertThat(b).isEqualTo(signed.installBytes("p.Guard").orElseThrow()));
  }

  @Test
  void changedBytesRecordedAsTheUpdate_getTheFullCheckAgain() throws Exception {
    Reapplication.verified(store, entry(), new Reapplication.Keys(trust, verdicts()));
    // Someone who can write the state rewrites the fixed class and records the changed file
    // under the same id: its SHA-256 has no verdict, so every entry is matched against the
    // signed manifest again.
    record(replaced(Files.readAllBytes(store.fileOf(entry())), INSTALLED, guard(9).get("p/Guard")));

    assertThatThrownBy(
            () -> Reapplication.verified(store, entry(), new Reapplication.Keys(trust, verdicts())))
        .isInstanceOf(Reapplication.UnusableEntryException.class)
        .hasMessageContaining(INSTALLED + " does not match its signature");
    Reapplication.Keys unreadable =
        new Reapplication.Keys(List.of(state.resolve("absent.pem")), verdicts());
    assertThatThrownBy(() -> Reapplication.verified(store, entry(), unreadable))
        .isInstanceOf(Reapplication.UnusableEntryException.class)
        .hasMessageContaining("cannot read the trusted keys");
  }

  private Verdicts verdicts() {
    return Verdicts.of(store, trust);
  }

  private RecordedUpdate entry() throws IOException {
    return store.read().updates().get(0);
  }

  private void record(byte[] file) throws IOException {
    store.commit(store.stage(file), ID, "test", Instant.EPOCH, List.of("p.Guard"));
  }

  /** {@code zip}'s bytes with entry {@code name}'s content replaced, the rest as it was. */
  private byte[] replaced(byte[] zip, String name, byte[] content) throws IOException {
    Path copy = Files.write(state.resolve("changed.jsplice"), zip);
    try (FileSystem entries = FileSystems.newFileSystem(copy)) {
      Files.write(entries.getPath(name), content);
    }
    return Files.readAllBytes(copy);
  }

  /** The update, built by {@code create}, that makes {@code p.Guard.version()} return 2. */
  private static UpdatePackage update() throws Exception {
    return UpdateCreator.create(
            new ClassSet("1", guard(1), List.of()),
            new ClassSet("2", guard(2), List.of()),
            new UpdateCreator.Request(ID, "", List.of(), List.of()))
        .update();
  }

  /** {@code p.Guard}, compiled, whose {@code version()} returns {@code version}. */
  private static Map<String, byte[]> guard(int version) {
    return Compiler.with(Jdk.current())
        .compile(
            "p/Guard.java",
            "package p; public class Guard { public static int version() { return "
                + version
                + "; } }");
  }
}
