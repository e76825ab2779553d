package io.jsplice.model.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A fresh JVM that reads one update as the agent and the CLI do, with a trusted key given as its
 * encoded form (no certificate parsed): {@code DirectSignatureProbe FILE KEY-BASE64}. Prints the
 * update's id.
 */
public final class DirectSignatureProbe {
  private DirectSignatureProbe() {}

  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    TrustedKeys trusted =
        TrustedKeys.ofKeys(
            List.of(
                KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(args[1])))),
            "the probe's key");
    System.out.println(
        UpdateFile.read(bytes, args[0], trusted, UpdateLimits.DEFAULT).update().id());
  }
}
