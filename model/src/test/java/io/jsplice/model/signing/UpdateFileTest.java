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
            List.of(),
            Applicability.combine(List.of(live)));
    return new UpdatePackage(
        update,
        Map.of(
            "post/p/Guard.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 1},
            "install/p/Guard.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 2}));
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
        .hasValueSatisfying(b -> assertThat(b).containsExactly(0xCA, 0xFE, 2));
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
    rewrite(file, "jsplice/install/p/Guard.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 9}, null);
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
  void read_refusesSomethingThatIsNotAnUpdate() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(CorruptUpdateException.class);
    assertThatThrownBy(() -> UpdateFile.read(dir.resolve("missing"), trusted))
        .isInstanceOf(CorruptUpdateException.class)
        .hasMessageContaining("no update file");
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
