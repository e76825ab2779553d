package io.jsplice.model.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.model.Applicability;
import io.jsplice.model.Artifact;
import io.jsplice.model.Change;
import io.jsplice.model.ChangeKind;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.Update;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class UpdateFileTest {
  private static final char[] PASSWORD = "test-password".toCharArray();
  @TempDir static Path keys;
  @TempDir Path dir;
  private static SigningKey ours;
  private static SigningKey theirs;
  private static TrustedKeys trusted;

  @BeforeAll
  static void generateKeys() throws IOException {
    ours =
        KeyGeneration.generate(
            keys.resolve("ours.p12"), PASSWORD, "CN=ours", keys.resolve("ours.pem"));
    theirs =
        KeyGeneration.generate(
            keys.resolve("theirs.p12"), PASSWORD, "CN=theirs", keys.resolve("theirs.pem"));
    trusted = TrustedKeys.load(List.of(keys.resolve("ours.pem")));
  }

  static UpdatePackage sample() {
    Applicability live = new Applicability(Verdict.LIVE, Set.of(Mechanism.REDEFINE), List.of());
    ClassUpdate guard =
        new ClassUpdate(
            "p.Guard",
            ClassStatus.MODIFIED,
            "a".repeat(64),
            "b".repeat(64),
            List.of(new Change(ChangeKind.METHOD_BODY_CHANGED, "allowed(Ljava/lang/String;)Z", "")),
            live);
    Update update =
        new Update(
            "CVE-2022-42889",
            "Text4Shell",
            List.of("CVE-2022-42889"),
            List.of(new Artifact("org.apache.commons", "commons-text", "1.9", "1.10.0")),
            Instant.parse("2026-11-26T00:00:00Z"),
            List.of(),
            List.of(guard),
            List.of(
                new io.jsplice.model.StateAction(
                    io.jsplice.model.StateAction.Kind.CLEAR,
                    "p.Guard",
                    "CACHE",
                    null,
                    "cached guards")),
            List.of(
                new io.jsplice.model.InstanceAction(
                    io.jsplice.model.InstanceAction.Kind.RERUN_SETUP,
                    "p.Guard",
                    "setup()V",
                    null,
                    List.of("allowed"),
                    "the constructor's setup changed")),
            List.of(),
            Applicability.combine(List.of(live)),
            List.of());
    return new UpdatePackage(
        update, Map.of("post/p/Guard.class", guard(1), "install/p/Guard.class", guard(2)));
  }

  /** A class file {@code p.Guard} whose method {@code version()} returns {@code version}. */
  static byte[] guard(int version) {
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

  @Test
  void read_returnsWhatWasSigned() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdatePackage written = sample();
    UpdateFile.write(written, ours, file);

    UpdatePackage read = UpdateFile.read(file, trusted);

    assertThat(read.update()).isEqualTo(written.update());
    assertThat(read.files().keySet()).isEqualTo(written.files().keySet());
    assertThat(read.installBytes("p.Guard"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(guard(2)));
  }

  @Test
  void readVerifiedBefore_returnsWhatWasSigned_sameAsRead() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    byte[] bytes = Files.readAllBytes(file);

    UpdatePackage read = UpdateFile.readVerifiedBefore(bytes, "u", UpdateLimits.DEFAULT);

    UpdatePackage verified = UpdateFile.read(file, trusted);
    assertThat(read.update()).isEqualTo(verified.update());
    assertThat(read.files().keySet()).isEqualTo(verified.files().keySet());
    assertThat(read.installBytes("p.Guard"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(guard(2)));
  }

  @Test
  void readVerifiedBefore_stillRefusesUnsignedAddedAndDeletedContent() throws Exception {
    // Changed content has another SHA-256, so the agent gives it the full read: see the agent's
    // ReapplicationTest.
    Path unsigned = Files.write(dir.resolve("unsigned.jsplice"), UpdateFile.unsignedJar(sample()));
    assertThatThrownBy(
            () ->
                UpdateFile.readVerifiedBefore(
                    Files.readAllBytes(unsigned), "u", UpdateLimits.DEFAULT))
        .isInstanceOf(UnsignedUpdateException.class);

    Path added = dir.resolve("added.jsplice");
    UpdateFile.write(sample(), ours, added);
    rewrite(added, null, null, "jsplice/install/p/Evil.class");
    assertThatThrownBy(
            () ->
                UpdateFile.readVerifiedBefore(Files.readAllBytes(added), "u", UpdateLimits.DEFAULT))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("p/Evil.class is not covered");

    Path signed = dir.resolve("signed.jsplice");
    UpdateFile.write(sample(), ours, signed);
    byte[] deleted = without(Files.readAllBytes(signed), "jsplice/post/p/Guard.class");
    assertThatThrownBy(() -> UpdateFile.readVerifiedBefore(deleted, "u", UpdateLimits.DEFAULT))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("it was deleted");
  }

  @Test
  void read_refusesAnUnsignedFile() throws Exception {
    Path file = Files.write(dir.resolve("u.jsplice"), UpdateFile.unsignedJar(sample()));
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(UnsignedUpdateException.class)
        .hasMessageContaining("is not signed");
  }

  @Test
  void read_refusesAFileSignedByAnotherKey() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), theirs, file);
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(UntrustedSignerException.class)
        .hasMessageContaining("CN=theirs")
        .hasMessageContaining("not among the trusted keys");
  }

  @Test
  void read_refusesChangedContent() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    rewrite(file, "jsplice/install/p/Guard.class", guard(9), null);
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("modified after it was signed");
  }

  @Test
  void read_refusesAnAddedEntry() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    rewrite(file, null, null, "jsplice/install/p/Evil.class");
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("p/Evil.class is not covered");
  }

  @Test
  void read_refusesATruncatedFile() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("damaged or truncated");
  }

  @Test
  void read_refusesADirectoryEntryWhoseExtraFieldRunsPastTheDirectory() throws Exception {
    // A bit flip the update fuzzer found: the last entry's extra length points past the end.
    byte[] bytes = UpdateFile.unsignedJar(sample());
    int last = -1;
    for (int i = 0; i + 4 <= bytes.length; i++) {
      if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2) {
        last = i;
      }
    }
    assertThat(last).isPositive();
    bytes[last + 30] = (byte) 0xff;
    bytes[last + 31] = (byte) 0x7f;
    byte[] damaged = bytes;
    assertThatThrownBy(() -> UpdateFile.open(damaged, "the update", UpdateLimits.DEFAULT))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("central directory is damaged");
  }

  @Test
  void read_refusesSomethingThatIsNotAnUpdate() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class);
    assertThatThrownBy(() -> UpdateFile.read(dir.resolve("missing"), trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("no update file");
  }

  @Test
  void read_refusesAnEntryDeletedAfterSigning() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    Files.write(file, without(Files.readAllBytes(file), "jsplice/post/p/Guard.class"));

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessage(
            file
                + " was modified after it was signed: jsplice/post/p/Guard.class is covered by its"
                + " signature but missing: it was deleted");
    assertThatThrownBy(() -> UpdateFile.open(file)).isInstanceOf(TamperedUpdateException.class);
  }

  @Test
  void read_refusesMalformedClassBytesAsACorruptUpdate_evenWhenSigned() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(
        withFile(sample(), "install/p/Guard.class", Arrays.copyOf(guard(2), 30)), ours, file);

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageStartingWith(
            file
                + " is not a valid update: jsplice/install/p/Guard.class is a malformed class file");
  }

  /** {@link #guard} with a class annotation at its end, the part ASM reads only when asked. */
  static byte[] annotatedGuard() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "p/Guard", null, "java/lang/Object", null);
    AnnotationVisitor patched = writer.visitAnnotation("Lp/Patched;", true);
    patched.visit("update", "u-1");
    patched.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  @Test
  void read_refusesAClassCutShortAnywhere_evenInsideAnAnnotationNothingElseReads()
      throws Exception {
    byte[] whole = annotatedGuard();
    assertThat(UpdateClassFiles.problem(whole, "p/Guard", UpdateLimits.DEFAULT)).isNull();
    for (int length = 0; length < whole.length; length++) {
      assertThat(
              UpdateClassFiles.problem(
                  Arrays.copyOf(whole, length), "p/Guard", UpdateLimits.DEFAULT))
          .as("cut to %d of %d bytes", length, whole.length)
          .isNotNull();
    }
    assertThat(
            UpdateClassFiles.problem(
                Arrays.copyOf(whole, whole.length + 1), "p/Guard", UpdateLimits.DEFAULT))
        .isEqualTo(
            "is a malformed class file (its structure ends at byte %d of %d)"
                .formatted(whole.length, whole.length + 1));

    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(
        withFile(sample(), "install/p/Guard.class", Arrays.copyOf(whole, whole.length - 1)),
        ours,
        file);
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageStartingWith(
            file
                + " is not a valid update: jsplice/install/p/Guard.class is a malformed class file");
  }

  @Test
  void read_refusesAClassFileNamedForAnotherClass() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(withFile(sample(), "install/p/Other.class", guard(3)), ours, file);

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageEndingWith(
            "jsplice/install/p/Other.class declares the class p/Guard, not p/Other");
  }

  @Test
  void read_refusesADescriptorClassWithoutItsCode() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdatePackage sample = sample();
    Map<String, byte[]> files = new java.util.TreeMap<>(sample.files());
    files.remove("install/p/Guard.class");
    UpdateFile.write(new UpdatePackage(sample.update(), files), ours, file);

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining(
            "jsplice/install/p/Guard.class is missing, yet the descriptor installs p.Guard");
  }

  /** The class computing a field's new value for existing objects is part of what is checked. */
  @Test
  void read_refusesAnInstanceActionWhoseClassIsMissing() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdatePackage sample = sample();
    Update u = sample.update();
    Update withRecompute =
        new Update(
            u.id(),
            u.description(),
            u.cves(),
            u.artifacts(),
            u.created(),
            u.requires(),
            u.classes(),
            u.stateActions(),
            List.of(
                new io.jsplice.model.InstanceAction(
                    io.jsplice.model.InstanceAction.Kind.RECOMPUTE_FIELD,
                    "p.Guard",
                    "max",
                    "p.Guard$$jsplice$Fix",
                    List.of(),
                    "the field's initializer changed")),
            u.hooks(),
            u.applicability(),
            u.tripwires());
    UpdateFile.write(new UpdatePackage(withRecompute, sample.files()), ours, file);

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageEndingWith(
            "jsplice/install/p/Guard$$jsplice$Fix.class is missing, yet an instance action of the"
                + " descriptor computes with p.Guard$$jsplice$Fix");
  }

  @Test
  void read_refusesTooManyConstants() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    UpdateLimits small = new UpdateLimits(1 << 20, 100, 1 << 20, 1 << 20, 1 << 20, 5);

    assertThatThrownBy(() -> UpdateFile.read(file, trusted, small))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("constant pool entries, more than the 5 allowed");
  }

  @Test
  void read_fromBytesAndFromAStream_sameAsFromTheFile() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(sample(), ours, file);
    byte[] bytes = Files.readAllBytes(file);

    UpdatePackage fromBytes = UpdateFile.read(bytes, "the update", trusted, UpdateLimits.DEFAULT);
    UpdatePackage fromStream =
        UpdateFile.read(
            new java.io.ByteArrayInputStream(bytes), "the update", trusted, UpdateLimits.DEFAULT);

    assertThat(fromBytes.update()).isEqualTo(sample().update());
    assertThat(fromStream.files().keySet()).isEqualTo(sample().files().keySet());
    assertThatThrownBy(
            () ->
                UpdateFile.read(
                    Arrays.copyOf(bytes, 99), "the update", trusted, UpdateLimits.DEFAULT))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageStartingWith("the update is not a valid update (damaged or truncated: ");
  }

  @Test
  void read_aStreamLongerThanAnUpdateMayBe_isRefusedAfterTheLimit() {
    UpdateLimits small = new UpdateLimits(1000, 100, 1000, 1000, 1000, 1000);
    long[] served = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return 0;
          }
        };

    assertThatThrownBy(() -> UpdateFile.read(endless, "the update", trusted, small))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessage(
            "the update is not a valid update (more than the 1000 bytes an update may have)");
    assertThat(served[0]).isEqualTo(1001);
  }

  @Test
  void read_refusesACompressedBombFromItsDirectory_unsignedOrSignedByAnotherKey() throws Exception {
    // 64 MB of zeros deflate to 64 kB; the limits allow 1 MB per entry.
    UpdateLimits limits = new UpdateLimits(8 << 20, 100, 1 << 20, 4 << 20, 1 << 20, 60_000);
    byte[] unsignedBomb = addBomb(UpdateFile.unsignedJar(sample()), 64 << 20);
    Path signed = dir.resolve("theirs.jsplice");
    UpdateFile.write(sample(), theirs, signed);
    byte[] signedBomb = addBomb(Files.readAllBytes(signed), 64 << 20);

    for (byte[] bomb : List.of(unsignedBomb, signedBomb)) {
      CountingSource source = new CountingSource(bomb);
      assertThatThrownBy(() -> UpdateReading.read(source, null, trusted, limits))
          .isInstanceOf(CorruptUpdateException.class)
          .hasMessageContaining("too large: jsplice/install/p/Bomb.class declares 67108864 bytes");
      assertThat(source.read).as("bytes read to refuse it").isLessThan(bomb.length / 4);
    }
  }

  @Test
  void read_refusesAnEntryThatInflatesToMoreThanItDeclares_afterReadingNoMore() throws Exception {
    byte[] jar = UpdateFile.unsignedJar(sample());
    byte[] lying = declareSize(addBomb(jar, 8 << 20), "jsplice/install/p/Bomb.class", 1000);

    CountingSource source = new CountingSource(lying);
    assertThatThrownBy(() -> UpdateReading.read(source, null, null, UpdateLimits.DEFAULT))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("jsplice/install/p/Bomb.class inflates to more than the 1000 bytes");
    assertThat(source.read).isLessThan(lying.length / 2);
  }

  @Test
  void read_refusesTwoEntriesOfTheSameName() throws Exception {
    byte[] jar = UpdateFile.unsignedJar(sample());
    byte[] twice =
        renameEntry(
            addBomb(jar, 10, "jsplice/install/p/Gxard.class"),
            "jsplice/install/p/Gxard.class",
            "jsplice/install/p/Guard.class");

    assertThatThrownBy(() -> UpdateFile.open(twice, "the update", UpdateLimits.DEFAULT))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("holds jsplice/install/p/Guard.class twice");
  }

  @Test
  void read_refusesAnUnsignedFileBeforeInflatingIt() throws Exception {
    byte[] bomb = addBomb(UpdateFile.unsignedJar(sample()), 8 << 20);
    CountingSource source = new CountingSource(bomb);

    assertThatThrownBy(() -> UpdateReading.read(source, null, trusted, UpdateLimits.DEFAULT))
        .isInstanceOf(UnsignedUpdateException.class);
    assertThat(source.read).isLessThan(bomb.length / 4);
  }

  /** A ByteSource over bytes that counts how many were read. */
  private static final class CountingSource extends ByteSource {
    private final byte[] bytes;
    long read;

    CountingSource(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    String name() {
      return "the update";
    }

    @Override
    long size() {
      return bytes.length;
    }

    @Override
    void read(long position, byte[] into, int offset, int length) throws IOException {
      if (position + length > bytes.length) {
        throw new java.io.EOFException();
      }
      read += length;
      System.arraycopy(bytes, (int) position, into, offset, length);
    }

    @Override
    public void close() {}
  }

  private static UpdatePackage withFile(UpdatePackage update, String path, byte[] bytes) {
    Map<String, byte[]> files = new java.util.TreeMap<>(update.files());
    files.put(path, bytes);
    return new UpdatePackage(update.update(), files);
  }

  /** The zip with an entry of {@code size} zeros, deflated, added at the end. */
  private static byte[] addBomb(byte[] zip, int size) throws IOException {
    return addBomb(zip, size, "jsplice/install/p/Bomb.class");
  }

  private static byte[] addBomb(byte[] zip, int size, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip));
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        zout.putNextEntry(new ZipEntry(e.getName()));
        zout.write(in.readAllBytes());
        zout.closeEntry();
      }
      zout.putNextEntry(new ZipEntry(name));
      byte[] zeros = new byte[1 << 20];
      for (int written = 0; written < size; written += zeros.length) {
        zout.write(zeros, 0, Math.min(zeros.length, size - written));
      }
      zout.closeEntry();
    }
    return out.toByteArray();
  }

  /** The zip with {@code name}'s declared inflated size set to {@code size} (CRC left alone). */
  private static byte[] declareSize(byte[] zip, String name, int size) {
    byte[] out = zip.clone();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int at = 0; at + 46 < out.length; at++) {
      if (b.getInt(at) == 0x02014b50
          && Short.toUnsignedInt(b.getShort(at + 28)) == nameBytes.length
          && Arrays.equals(
              out, at + 46, at + 46 + nameBytes.length, nameBytes, 0, nameBytes.length)) {
        b.putInt(at + 24, size);
      }
    }
    return out;
  }

  /**
   * The zip with every occurrence of the name {@code from} (same length) replaced by {@code to}.
   */
  private static byte[] renameEntry(byte[] zip, String from, String to) {
    byte[] out = zip.clone();
    byte[] a = from.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] b = to.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(b).hasSameSizeAs(a);
    for (int at = 0; at + a.length <= out.length; at++) {
      if (Arrays.equals(out, at, at + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, out, at, b.length);
      }
    }
    return out;
  }

  /** The zip without the entry {@code name}, everything else copied (as {@code zip -d} does). */
  private static byte[] without(byte[] zip, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip));
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (!e.getName().equals(name)) {
          zout.putNextEntry(new ZipEntry(e.getName()));
          zout.write(bytes);
          zout.closeEntry();
        }
      }
    }
    assertThat(out.size()).isLessThan(zip.length);
    return out.toByteArray();
  }

  /** Copies the zip, replacing one entry's content and/or adding an entry. */
  private static void rewrite(Path file, String replace, byte[] content, String add)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zin = new ZipInputStream(in);
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
        byte[] bytes = zin.readAllBytes();
        zout.putNextEntry(new ZipEntry(e.getName()));
        zout.write(e.getName().equals(replace) ? content : bytes);
        zout.closeEntry();
      }
      if (add != null) {
        zout.putNextEntry(new ZipEntry(add));
        zout.write(new byte[] {1});
        zout.closeEntry();
      }
    }
    Files.write(file, out.toByteArray());
  }
}
