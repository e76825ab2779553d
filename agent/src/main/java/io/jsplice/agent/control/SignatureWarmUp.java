package io.jsplice.agent.control;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Pays, on a daemon thread of its own, what the first apply request's signature check costs the JDK
 * before its arithmetic, while the agent that was just attached opens its control channel and the
 * client connects: the security providers up to SunEC (on JDK 17, the service loader's providers
 * before it, constructed one by one), the elliptic-curve key's decoding and an ECDSA verifier set
 * up with it. The apply's own check then finds them loaded and constructed. For an attached agent
 * only ({@code agentmain}, which is there to apply an update): under {@code -javaagent} it would
 * compete with the application's start for a request that may never come.
 *
 * <p>It stops short of a verification: that would be work the apply does not need (a second run of
 * the curve arithmetic, and the compilations it triggers, about 30 ms more CPU in the target on a
 * busy machine), while what is done here the apply does anyway, only later. It sets a verifier up
 * with a fixed key, no update's and trusted by nobody; nothing is kept: the apply verifies the
 * update with the request's keys as it would without this. It touches only the JDK's classes
 * (besides this one, loaded before its thread starts), so no class initializer of the agent's runs
 * on its thread, and an agent jar overwritten in place meanwhile changes nothing here. If it runs
 * late, the apply's check does the same work first and this finds it done; both are thread-safe JDK
 * code. Never throws.
 */
public final class SignatureWarmUp implements Runnable {
  /** A P-256 key's X.509 {@code SubjectPublicKeyInfo}, made for this warm-up only. */
  private static final String KEY =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8PBBm00kMoSAKxhmF8/FIEaSHtBuIPNc9FiL2F09sHMFkGkxMOe7zH+b"
          + "X/kcqUMbXCmSP3bl5+5y+n5DJXGj5w==";

  static final String THREAD_NAME = "jsplice-signature-warm-up";

  private SignatureWarmUp() {}

  /** Starts it on a daemon thread; never throws. */
  public static void startInBackground() {
    try {
      Thread thread = new Thread(new SignatureWarmUp(), THREAD_NAME);
      thread.setDaemon(true);
      thread.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      // The apply's check pays it, as it would have anyway.
    }
  }

  @Override
  public void run() {
    readiesVerifier();
  }

  /**
   * Whether a verifier for the test key is set up, as on a JDK with SunEC; false on any failure.
   */
  static boolean readiesVerifier() {
    try {
      // The digest the apply's payload check takes first (the SUN provider's).
      MessageDigest.getInstance("SHA-256");
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(KEY)));
      Signature.getInstance("SHA256withECDSA").initVerify(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return false; // the apply's own check meets whatever is wrong, and says so
    }
  }
}
