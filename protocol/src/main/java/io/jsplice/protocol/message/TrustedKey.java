package io.jsplice.protocol.message;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A public key an update may be signed by, as it crosses the control channel: trust in jsplice is
 * pinned to keys ({@link io.jsplice.model.signing.TrustedKeys}), so the key is all that travels.
 *
 * @param algorithm the key's algorithm, e.g. {@code EC}
 * @param encoded the key's X.509 {@code SubjectPublicKeyInfo}, Base64
 * @param source where the caller read it (a certificate file), for messages
 */
public record TrustedKey(String algorithm, String encoded, String source) {
  public static TrustedKey of(PublicKey key, String source) {
    return new TrustedKey(
        key.getAlgorithm(), Base64.getEncoder().encodeToString(key.getEncoded()), source);
  }

  /**
   * The key itself.
   *
   * @throws IllegalArgumentException if it is malformed or of an algorithm this JVM lacks
   */
  public PublicKey publicKey() {
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
    } catch (NoSuchAlgorithmException | InvalidKeySpecException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "trusted key from " + source + " is not a usable " + algorithm + " key: " + e, e);
    }
  }
}
