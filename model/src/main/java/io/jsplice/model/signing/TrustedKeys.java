package io.jsplice.model.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public keys whose signatures jsplice accepts. Trust is pinned to keys, not to certificate
 * chains or expiry dates: an update is applied only if a signer's certificate carries one of these
 * exact public keys.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedKeys {
  private final List<PublicKey> keys;
  private final String source;

  private TrustedKeys(List<PublicKey> keys, String source) {
    this.keys = List.copyOf(keys);
    this.source = source;
  }

  /**
   * Loads certificates from PEM or DER files; a directory contributes every {@code .pem}, {@code
   * .crt} and {@code .cer} file in it.
   *
   * @throws IOException when a path is missing or holds no certificate
   */
  public static TrustedKeys load(List<Path> paths) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    for (Path file : certificateFiles(paths)) {
      keys.addAll(readCertificates(file));
    }
    if (keys.isEmpty()) {
      throw new IOException("no trusted certificate found in " + paths);
    }
    return new TrustedKeys(keys, paths.toString());
  }

  /**
   * The files {@link #load} reads for {@code paths}, in its order: a file as it is (whether it
   * exists or not), a directory's {@code .pem}, {@code .crt} and {@code .cer} files, by name.
   *
   * @throws IOException when a directory cannot be listed
   */
  public static List<Path> certificateFiles(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> listed = Files.list(path)) {
          for (Path file : listed.sorted().toList()) {
            String name = file.getFileName().toString();
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
              files.add(file);
            }
          }
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  public static TrustedKeys of(List<X509Certificate> certificates) {
    return new TrustedKeys(
        certificates.stream().map(Certificate::getPublicKey).toList(), "given certificates");
  }

  /** Keys received from elsewhere (a client's request); {@code source} names them in messages. */
  public static TrustedKeys ofKeys(List<PublicKey> keys, String source) {
    return new TrustedKeys(keys, source);
  }

  /** The keys, in the order read. */
  public List<PublicKey> keys() {
    return keys;
  }

  public boolean trusts(PublicKey key) {
    return keys.stream().anyMatch(k -> k.equals(key));
  }

  /** Where the keys came from, for messages. */
  public String source() {
    return source;
  }

  public int size() {
    return keys.size();
  }

  /** SHA-256 of the key's encoded form, the way operators compare keys. */
  public static String fingerprint(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<PublicKey> readCertificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<PublicKey> keys = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        keys.add(c.getPublicKey());
      }
      if (keys.isEmpty()) {
        throw new IOException(file + " holds no certificate");
      }
      return keys;
    } catch (CertificateException e) {
      throw new IOException(file + " is not a PEM or DER certificate: " + e.getMessage(), e);
    }
  }
}
