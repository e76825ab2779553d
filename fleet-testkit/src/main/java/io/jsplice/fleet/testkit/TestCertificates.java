package io.jsplice.fleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it issued, made with the JDK's {@code keytool} (a real
 * process, as an operator would), written as the PEM files {@code jsplice server --tls-cert
 * --tls-key} and {@code --server-ca} take.
 *
 * @param ca the CA's certificate (PEM), what clients trust
 * @param chain the server's certificate followed by the CA's (PEM)
 * @param key the server's private key (PEM, unencrypted PKCS#8)
 * @param otherKey a key of the same algorithm that belongs to no certificate here
 * @param serverSubject the server certificate's subject, RFC 2253
 * @param caSubject the CA's subject, RFC 2253
 */
public record TestCertificates(
    Path ca, Path chain, Path key, Path otherKey, String serverSubject, String caSubject) {
  private static final String PASSWORD = "changeit";

  /** The server's key algorithm. */
  public enum KeyType {
    EC("-keyalg", "EC", "-groupname", "secp256r1"),
    RSA("-keyalg", "RSA", "-keysize", "2048");

    private final List<String> options;

    KeyType(String... options) {
      this.options = List.of(options);
    }
  }

  /**
   * Makes a CA ({@code CN=jsplice test CA}) and a server certificate for 127.0.0.1 and localhost
   * ({@code CN=fleet.test}) in {@code dir}.
   */
  public static TestCertificates create(Path dir, KeyType type) {
    try {
      Files.createDirectories(dir);
      Path caStore = dir.resolve("ca.p12");
      Path serverStore = dir.resolve("server.p12");
      Path otherStore = dir.resolve("other.p12");
      String caSubject = "CN=jsplice test CA,O=jsplice tests";
      String serverSubject = "CN=fleet.test,O=jsplice tests";
      genkeypair(caStore, "ca", caSubject, KeyType.EC, "-ext", "bc:c");
      genkeypair(serverStore, "server", serverSubject, type);
      genkeypair(otherStore, "other", "CN=other", type);
      Path request = dir.resolve("server.csr");
      keytool(
          "-certreq",
          "-alias",
          "server",
          "-keystore",
          serverStore.toString(),
          "-file",
          request.toString());
      Path issued = dir.resolve("server.pem");
      keytool(
          "-gencert",
          "-alias",
          "ca",
          "-keystore",
          caStore.toString(),
          "-infile",
          request.toString(),
          "-outfile",
          issued.toString(),
          "-rfc",
          "-validity",
          "30",
          "-ext",
          "san=ip:127.0.0.1,dns:localhost",
          "-ext",
          "eku=serverAuth");
      Path ca = dir.resolve("ca.pem");
      keytool(
          "-exportcert",
          "-alias",
          "ca",
          "-keystore",
          caStore.toString(),
          "-rfc",
          "-file",
          ca.toString());
      Path chain = dir.resolve("server-chain.pem");
      Files.writeString(chain, Files.readString(issued) + Files.readString(ca));
      Path key = dir.resolve("server-key.pem");
      writeKey(serverStore, "server", key);
      Path otherKey = dir.resolve("other-key.pem");
      writeKey(otherStore, "other", otherKey);
      return new TestCertificates(ca, chain, key, otherKey, serverSubject, caSubject);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void genkeypair(
      Path store, String alias, String subject, KeyType type, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-dname",
                subject,
                "-validity",
                "30",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12"));
    args.addAll(type.options);
    args.addAll(List.of(more));
    keytool(args.toArray(String[]::new));
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-noprompt"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }

  /** The key of {@code alias} as an unencrypted PKCS#8 PEM file. */
  private static void writeKey(Path store, String alias, Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      Key key = keys.getKey(alias, PASSWORD.toCharArray());
      Files.writeString(
          pem,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key " + alias + " from " + store, e);
    }
  }
}
