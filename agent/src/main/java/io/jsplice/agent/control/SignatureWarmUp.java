package io.jsplice.agent.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Pays, on a daemon thread of its own, what the first apply request's signature check costs the
 * JDK, while the agent that was just attached opens its control channel and the client connects:
 * the security providers up to SunEC (on JDK 17, the service loader's providers before it), the
 * elliptic-curve key's decoding and one ECDSA P-256 verification, whose classes and field
 * arithmetic, interpreted in a fresh JVM, are most of a cold apply's time in the target (about 100
 * ms of CPU on JDK 17, more on JDK 25). The apply's own check then finds them loaded and run once.
 * For an attached agent only ({@code agentmain}, which is there to apply an update): under {@code
 * -javaagent} it would compete with the application's start for a request that may never come.
 *
 * <p>It verifies a fixed test signature over fixed bytes with a fixed key, none of them an update's
 * or trusted by anyone; its verdict is thrown away, and nothing is cached: the apply verifies the
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

  /** Its SHA256withECDSA signature of {@link #SIGNED}. */
  private static final String SIGNATURE =
      "MEQCIA7s4XvAEz1LbLEq5Lk8cEKOWQ3jPobFVsF18XaY5/9JAiAtlVzt8TkBu1zJuIrd/zQV7EkcYOyxxHSsOso194ze"
          + "Gg==";

  private static final String SIGNED = "hello world data to sign";

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
    verifiesTestSignature();
  }

  /** Whether the test signature verifies, as it does on a JDK with SunEC; false on any failure. */
  static boolean verifiesTestSignature() {
    try {
      // The digest the apply's payload check takes first (the SUN provider's).
      MessageDigest.getInstance("SHA-256");
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(KEY)));
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(SIGNED.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(Base64.getDecoder().decode(SIGNATURE));
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return false; // the apply's own check meets whatever is wrong, and says so
    }
  }
}
