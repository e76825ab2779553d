package io.jsplice.model.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates a signing key pair with the JDK's own {@code keytool} (EC P-256, a self-signed
 * certificate valid for ten years) so that jsplice contains no certificate-building code of its
 * own. The password reaches keytool through its environment, never its command line; the key store
 * is readable by its owner only (0600) from the moment it has its name.
 */
public final class KeyGeneration {
  private KeyGeneration() {}

  /**
   * Writes a PKCS#12 key store at {@code keyStore} and the certificate, in PEM, at {@code
   * certificate}.
   *
   * @param subject an X.500 name such as {@code CN=Acme security updates}
   * @throws IOException when keytool fails or a file exists already
   */
  public static SigningKey generate(
      Path keyStore, char[] password, String subject, Path certificate) throws IOException {
    if (Files.exists(keyStore)) {
      throw new IOException(keyStore + " exists already; refusing to overwrite a key");
    }
    // keytool creates its file with the process's umask (often world-readable): it writes into a
    // directory only this user can enter, and the key store moves to its place once it is 0600.
    Path parent = keyStore.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path privateDir =
        Files.createTempDirectory(
            parent,
            ".jsplice-keygen",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      Path written = privateDir.resolve("key.p12");
      runKeytool(written, password, subject);
      Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
      Files.move(written, keyStore); // fails, rather than overwrite, if a key appeared meanwhile
    } finally {
      try (var left = Files.list(privateDir)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(privateDir);
    }
    SigningKey key = SigningKey.load(keyStore, password);
    writePem(key.certificate(), certificate);
    return key;
  }

  private static void runKeytool(Path keyStore, char[] password, String subject)
      throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.addAll(List.of(keytool.toString(), "-genkeypair", "-alias", SigningKey.ALIAS));
    command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
    command.addAll(List.of("-sigalg", "SHA256withECDSA", "-validity", "3650"));
    command.addAll(List.of("-dname", subject, "-storetype", "PKCS12"));
    command.addAll(List.of("-keystore", keyStore.toString()));
    command.addAll(List.of("-storepass:env", "JSPLICE_KEYTOOL_PASSWORD"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JSPLICE_KEYTOOL_PASSWORD", new String(password));
    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  public static void writePem(X509Certificate cert, Path file) throws IOException {
    try {
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded());
      Files.writeString(
          file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the certificate: " + e.getMessage(), e);
    }
  }
}
