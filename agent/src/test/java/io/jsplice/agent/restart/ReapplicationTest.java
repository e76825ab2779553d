package io.jsplice.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.Applicability;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.model.record.RecordedUpdate;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class ReapplicationTest {
  private static final String ID = "CVE-2022-42889";
  private static final String INSTALLED = "jsplice/install/p/Guard.class";

  @TempDir static Path keys;
  @TempDir Path state;
  private static SigningKey ours;
  private static List<Path> trust;
  private ServiceRecordStore store;

  @BeforeAll
  static void generateKeys() throws IOException {
    Path pem = keys.resolve("ours.pem");
    ours =
        KeyGeneration.generate(
            keys.resolve("ours.p12"), "test-password".toCharArray(), "CN=ours", pem);
    trust = List.of(pem);
  }

  @BeforeEach
  void serviceWithOneSignedUpdateRecorded() throws IOException {
    store = ServiceRecordStore.at(state, "svc");
    Path file = state.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
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
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(guard(2)));
  }

  @Test
  void changedBytesRecordedAsTheUpdate_getTheFullCheckAgain() throws Exception {
    Reapplication.verified(store, entry(), new Reapplication.Keys(trust, verdicts()));
    // Someone who can write the state rewrites the fixed class and records the changed file
    // under the same id: its SHA-256 has no verdict, so every entry is matched against the
    // signed manifest again.
    record(replaced(Files.readAllBytes(store.fileOf(entry())), INSTALLED, guard(9)));

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

  /** {@code zip} with {@code name}'s content replaced, every other entry as it was. */
  private static byte[] replaced(byte[] zip, String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        zout.putNextEntry(new ZipEntry(e.getName()));
        zout.write(e.getName().equals(name) ? content : bytes);
        zout.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static UpdatePackage sample() {
    Applicability live = new Applicability(Verdict.LIVE, Set.of(Mechanism.REDEFINE), List.of());
    ClassUpdate guard =
        new ClassUpdate(
            "p.Guard",
            ClassStatus.MODIFIED,
            "a".repeat(64),
            "b".repeat(64),
            List.of(new Change(ChangeKind.METHOD_BODY_CHANGED, "version()I", "")),
            live);
    Update update =
        new Update(
            ID,
            "Text4Shell",
            List.of(ID),
            List.of(),
            Instant.parse("2026-11-26T00:00:00Z"),
            List.of(),
            List.of(guard),
            List.of(),
            List.of(),
            List.of(),
            Applicability.combine(List.of(live)));
    return new UpdatePackage(
        update, Map.of("post/p/Guard.class", guard(1), "install/p/Guard.class", guard(2)));
  }

  /** A class file {@code p.Guard} whose method {@code version()} returns {@code version}. */
  private static byte[] guard(int version) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "p/Guard", null, "java/lang/Object", null);
    MethodVisitor m =
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "version", "()I", null, null);
    m.visitCode();
    m.visitIntInsn(Opcodes.BIPUSH, version);
    m.visitInsn(Opcodes.IRETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
