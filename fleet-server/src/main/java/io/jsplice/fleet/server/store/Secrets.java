package io.jsplice.fleet.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The fleet's credentials: 256 random bits with a prefix that says what each is for, so that a
 * credential used in the wrong place is refused with a message that names it. The server stores
 * only their SHA-256: they are random, not passwords, so a slow hash would add nothing but cost to
 * every poll.
 */
public final class Secrets {
  public static final String ADMIN_PREFIX = "jsa_";
  public static final String ENROL_PREFIX = "jse_";
  public static final String HOST_PREFIX = "jsh_";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Every request hashes its credential: a digest per thread, not a provider lookup per call. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private Secrets() {}

  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Hex SHA-256 of {@code secret}'s UTF-8 bytes. */
  public static String hash(String secret) {
    return sha256(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(SHA256.get().digest(bytes)); // digest() resets it
  }
}
