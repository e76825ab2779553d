package io.jsplice.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.protocol.message.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys {@link CertificateKeys} reads are exactly those the JDK's certificate parser gives
 * ({@link TrustedKeys}), for certificates made by the JDK's keytool; what it does not read for
 * certain, it leaves to that parser.
 */
class CertificateKeysTest {
  @TempDir static Path dir;
  private static Path ec;
  private static Path rsa;
  private static Path ed25519;

  @BeforeAll
  static void certificates() throws Exception {
    ec = certificate("ec", "-keyalg", "EC", "-groupname", "secp256r1");
    rsa = certificate("rsa", "-keyalg", "RSA", "-keysize", "2048");
    ed25519 = certificate("ed25519", "-keyalg", "Ed25519");
  }

  @Test
  void read_givesTheKeysTheJdkParserGives_forEcAndRsaCertificates_pemAndDer() throws Exception {
    Path der = dir.resolve("ec.der");
    Files.write(der, der(ec));
    Path both = dir.resolve("both.pem");
    Files.writeString(
        both, "a comment\n" + Files.readString(ec) + "\n" + Files.readString(rsa) + "\n");

    for (List<Path> files : List.of(List.of(ec), List.of(rsa), List.of(der), List.of(both, ec))) {
      Optional<List<TrustedKey>> read = CertificateKeys.read(files, "source");

      assertThat(read).as(files.toString()).isPresent();
      assertThat(read.get()).as(files.toString()).isEqualTo(jdk(files));
    }
  }

  @Test
  void read_leavesToTheJdkParser_otherAlgorithmsAndAnythingNotPlainlyACertificate()
      throws Exception {
    byte[] good = der(ec);
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] notASequence = good.clone();
    notASequence[0] = 0x31; // a SET, not a SEQUENCE
    String privateKeyBlock =
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + Files.readString(ec);

    assertThat(CertificateKeys.read(List.of(ed25519), "s")).isEmpty();
    for (byte[] bytes :
        List.of(
            truncated,
            trailing,
            notASequence,
            new byte[0],
            "no certificate".getBytes(StandardCharsets.US_ASCII),
            privateKeyBlock.getBytes(StandardCharsets.US_ASCII))) {
      Path file = Files.write(Files.createTempFile(dir, "bad", ".pem"), bytes);
      assertThat(CertificateKeys.read(List.of(file), "s")).as(new String(bytes)).isEmpty();
    }
    assertThat(CertificateKeys.read(List.of(dir.resolve("missing.pem")), "s")).isEmpty();
  }

  private static List<TrustedKey> jdk(List<Path> files) throws IOException {
    List<TrustedKey> keys = new ArrayList<>();
    for (var key : TrustedKeys.load(files).keys()) {
      keys.add(TrustedKey.of(key, "source"));
    }
    return keys;
  }

  private static byte[] der(Path pem) throws IOException {
    String text = Files.readString(pem);
    String body =
        text.substring(
            text.indexOf("-----BEGIN CERTIFICATE-----") + 27,
            text.indexOf("-----END CERTIFICATE-----"));
    return Base64.getMimeDecoder().decode(body);
  }

  /** A self-signed certificate made by keytool, as PEM. */
  private static Path certificate(String name, String... keyOptions) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    List<String> generate =
        new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", name));
    generate.addAll(List.of(keyOptions));
    generate.addAll(List.of("-dname", "CN=" + name, "-validity", "30", "-storetype", "PKCS12"));
    generate.addAll(List.of("-keystore", store.toString(), "-storepass", "password"));
    run(generate);
    run(
        List.of(
            keytool.toString(),
            "-exportcert",
            "-rfc",
            "-alias",
            name,
            "-keystore",
            store.toString(),
            "-storepass",
            "password",
            "-file",
            pem.toString()));
    return pem;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
