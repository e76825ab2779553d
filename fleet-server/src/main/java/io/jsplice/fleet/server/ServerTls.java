package io.jsplice.fleet.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The server's own TLS certificate: {@code --tls-cert} (PEM, the server's certificate first, then
 * the intermediates that lead to the CA) and {@code --tls-key} (PEM, unencrypted PKCS#8, {@code
 * BEGIN PRIVATE KEY}; RSA or EC).
 *
 * @param certificateChain the PEM certificate chain file
 * @param privateKey the PEM PKCS#8 private key file
 */
public record ServerTls(Path certificateChain, Path privateKey) {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  public ServerTls {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * The key and its chain, read and checked: the key must be the private half of the first
   * certificate's public key.
   *
   * @param store an in-memory key store holding them under {@code alias}
   * @param password the store's and the entry's password (random, never written anywhere)
   * @param certificate the server's certificate, the chain's first
   */
  public record Keys(KeyStore store, String alias, char[] password, X509Certificate certificate) {}

  /**
   * Reads and checks both files.
   *
   * @throws ServerStartException with a one-line message naming the file at fault and the fix
   */
  public Keys load() throws ServerStartException {
    List<X509Certificate> chain = readChain();
    X509Certificate certificate = chain.get(0);
    PrivateKey key = readKey(certificate.getPublicKey().getAlgorithm());
    if (!matches(key, certificate)) {
      throw new ServerStartException(
          "the key in --tls-key "
              + privateKey
              + " does not belong to the certificate in --tls-cert "
              + certificateChain
              + " ("
              + certificate.getSubjectX500Principal().getName()
              + "); give the key the certificate was issued for",
          null);
    }
    try {
      char[] password = randomPassword();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
      return new Keys(store, "server", password, certificate);
    } catch (GeneralSecurityException | IOException e) {
      throw new ServerStartException(
          "cannot use the key in --tls-key " + privateKey + ": " + e.getMessage(), e);
    }
  }

  private List<X509Certificate> readChain() throws ServerStartException {
    try (InputStream in = Files.newInputStream(certificateChain)) {
      List<X509Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (chain.isEmpty()) {
        throw new ServerStartException(
            "--tls-cert " + certificateChain + " holds no PEM certificate", null);
      }
      return chain;
    } catch (IOException e) {
      throw new ServerStartException(
          "cannot read --tls-cert " + certificateChain + " (" + e.getMessage() + ")", e);
    } catch (CertificateException e) {
      throw new ServerStartException(
          "--tls-cert "
              + certificateChain
              + " is not a PEM certificate chain (-----BEGIN CERTIFICATE-----...)",
          e);
    }
  }

  private PrivateKey readKey(String algorithm) throws ServerStartException {
    String text;
    try {
      text = Files.readString(privateKey, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ServerStartException(
          "cannot read --tls-key " + privateKey + " (" + e.getMessage() + ")", e);
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = text.indexOf(PKCS8_END, Math.max(begin, 0));
    if (begin < 0 || end < 0) {
      String found =
          text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
              ? "an encrypted key; give it unencrypted (readable only by the server's user)"
              : text.contains("PRIVATE KEY-----")
                  ? "not a PKCS#8 key; convert it with openssl pkcs8 -topk8 -nocrypt -in KEY -out"
                      + " KEY.pk8"
                  : "no PEM private key (-----BEGIN PRIVATE KEY-----)";
      throw new ServerStartException("--tls-key " + privateKey + " holds " + found, null);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new ServerStartException(
          "--tls-key " + privateKey + " is not valid PEM (" + e.getMessage() + ")", e);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new ServerStartException(
          "--tls-key "
              + privateKey
              + " is not a PKCS#8 "
              + algorithm
              + " key, and the certificate in --tls-cert "
              + certificateChain
              + " is for an "
              + algorithm
              + " key; give the key the certificate was issued for",
          e);
    } catch (GeneralSecurityException e) {
      throw new ServerStartException(
          "the certificate in --tls-cert "
              + certificateChain
              + " is for a "
              + algorithm
              + " key, which this JDK cannot use: "
              + e.getMessage(),
          e);
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }
}
