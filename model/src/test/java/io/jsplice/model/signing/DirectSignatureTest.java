package io.jsplice.model.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsplice.testkit.Jdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct check of a signature by a trusted key ({@link DirectSignature}): taken for what
 * jsplice signs, and never the reason a file that the JDK's JAR verifier refuses gets in (each of
 * the signature's own parts altered).
 */
class DirectSignatureTest {
  private static final char[] PASSWORD = "test-password".toCharArray();
  private static final String SIGNATURE_FILE = "META-INF/JSPLICE.SF";
  private static final String BLOCK = "META-INF/JSPLICE.EC";
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

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void read_ofAnUpdateSignedByATrustedKey_loadsNoneOfTheJdksJarVerifierNorCertificateParser(Jdk jdk)
      throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, file);
    Path classLoads = dir.resolve("class-loads.txt");
    Process probe =
        new ProcessBuilder(
                jdk.java().toString(),
                "-Xshare:auto",
                "-Xlog:class+load=info:file=" + classLoads,
                "-cp",
                System.getProperty("java.class.path"),
                DirectSignatureProbe.class.getName(),
                file.toString(),
                Base64.getEncoder().encodeToString(trusted.keys().get(0).getEncoded()))
            .redirectErrorStream(true)
            .start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(probe.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output.strip()).isEqualTo("CVE-2022-42889");
    String loaded = Files.readString(classLoads);
    assertThat(
            Stream.of(
                    "java.util.jar.JarVerifier",
                    "sun.security.pkcs.PKCS7",
                    "sun.security.x509.X509CertImpl",
                    "java.security.cert.CertificateFactory")
                .filter(name -> loaded.contains(" " + name + " "))
                .toList())
        .as("the JDK's JAR verifier and certificate parser, loaded")
        .isEmpty();
    assertThat(loaded).contains(" " + DirectSignature.class.getName() + " ");
  }

  @Test
  void directCheck_acceptsWhatJspliceSigns_withTheTrustedKeyOnly() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, file);
    byte[] sf = entry(file, SIGNATURE_FILE);
    byte[] block = entry(file, BLOCK);
    assertThat(DirectSignature.blockVerifies(block, sf, "EC", trusted)).isTrue();
    assertThat(
            DirectSignature.blockVerifies(
                block, sf, "EC", TrustedKeys.load(List.of(keys.resolve("theirs.pem")))))
        .isFalse();
    byte[] otherSf = sf.clone();
    otherSf[otherSf.length - 3] ^= 1;
    assertThat(DirectSignature.blockVerifies(block, otherSf, "EC", trusted)).isFalse();
  }

  @Test
  void directCheck_acceptsTheUpdatesAnEarlierJspliceSigned() throws Exception {
    Path golden =
        Path.of(DirectSignatureTest.class.getResource("/io/jsplice/model/golden/").toURI());
    TrustedKeys goldenKey = TrustedKeys.load(List.of(golden.resolve("golden.pem")));
    for (String name : List.of("update-full.jsplice", "update-minimal.jsplice")) {
      Path file = golden.resolve(name);
      assertThat(
              DirectSignature.blockVerifies(
                  entry(file, BLOCK), entry(file, SIGNATURE_FILE), "EC", goldenKey))
          .as(name)
          .isTrue();
    }
  }

  @Test
  void read_refusesAManifestRewrittenForChangedContent() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, file);
    String was = base64Sha256(UpdateFileTest.guard(2));
    String now = base64Sha256(UpdateFileTest.guard(9));
    rewrite(file, "jsplice/install/p/Guard.class", c -> UpdateFileTest.guard(9));
    rewrite(file, JarSignatures.MANIFEST, c -> replace(c, was, now));

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("modified after it was signed");
    assertThatThrownBy(() -> read(file)).isInstanceOf(TamperedUpdateException.class);
  }

  @Test
  void read_refusesASignatureFileChangedAfterSigning() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, file);
    rewrite(file, SIGNATURE_FILE, c -> replace(c, "Created-By: ", "Created-By: x"));

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("modified after it was signed");
    assertThatThrownBy(() -> read(file)).isInstanceOf(TamperedUpdateException.class);
  }

  @Test
  void read_refusesASignatureBlockChangedAfterSigning() throws Exception {
    Path file = dir.resolve("u.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, file);
    rewrite(
        file,
        BLOCK,
        c -> {
          byte[] changed = c.clone();
          changed[changed.length - 2] ^= 1; // inside the signature's last integer
          return changed;
        });

    assertThatThrownBy(() -> UpdateFile.read(file, trusted))
        .isInstanceOf(TamperedUpdateException.class)
        .hasMessageContaining("its signature does not verify");
    assertThatThrownBy(() -> read(file)).isInstanceOf(TamperedUpdateException.class);
  }

  @Test
  void read_refusesTheirSignatureBlockUnderOurSignatureFile() throws Exception {
    Path ourFile = dir.resolve("ours.jsplice");
    Path theirFile = dir.resolve("theirs.jsplice");
    UpdateFile.write(UpdateFileTest.sample(), ours, ourFile);
    UpdateFile.write(UpdateFileTest.sample(), theirs, theirFile);
    byte[] theirBlock = entry(theirFile, BLOCK);
    rewrite(ourFile, BLOCK, c -> theirBlock);

    assertThatThrownBy(() -> UpdateFile.read(ourFile, trusted))
        .isInstanceOf(UpdateRejectedException.class);
    assertThatThrownBy(() -> read(ourFile)).isInstanceOf(UpdateRejectedException.class);
  }

  private static void read(Path file) throws Exception {
    UpdateFile.read(Files.readAllBytes(file), "u", trusted, UpdateLimits.DEFAULT);
  }

  private static String base64Sha256(byte[] content) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private static byte[] replace(byte[] content, String from, String to) {
    String text = new String(content, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] entry(Path file, String name) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zin = new ZipInputStream(in)) {
      for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
        if (e.getName().equals(name)) {
          return zin.readAllBytes();
        }
      }
    }
    throw new AssertionError(name + " is not in " + file);
  }

  /** Copies the zip with one entry's content changed by {@code change}; it must be there. */
  private static void rewrite(Path file, String name, UnaryOperator<byte[]> change)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean found = false;
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zin = new ZipInputStream(in);
        ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
        byte[] bytes = zin.readAllBytes();
        zout.putNextEntry(new ZipEntry(e.getName()));
        if (e.getName().equals(name)) {
          bytes = change.apply(bytes);
          found = true;
        }
        zout.write(bytes);
        zout.closeEntry();
      }
    }
    assertThat(found).as(name).isTrue();
    byte[] changed = out.toByteArray();
    assertThat(Arrays.equals(changed, Files.readAllBytes(file))).isFalse();
    Files.write(file, changed);
  }
}
