package io.jsplice.fleet.server;

import io.jsplice.fleet.api.ErrorCode;
import io.jsplice.fleet.server.store.NewUpdate;
import io.jsplice.fleet.server.store.OwnerOnlyFiles;
import io.jsplice.fleet.server.store.Secrets;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * Checks an uploaded update the way an agent checks one before applying it ({@link
 * UpdateFile#read}): intact, signed, and signed by a key this server trusts ({@code --trust}).
 * Anything else is refused with the same failure cause the CLI would exit with. The server never
 * signs: what it stores and serves is the uploaded bytes.
 *
 * <p>Thread-safe.
 */
public final class UpdateVerifier {
  private final TrustedKeys trusted;
  private final Path scratch;

  /**
   * @param trusted the keys publishers sign with; null when the server was started without {@code
   *     --trust}, which refuses every upload
   * @param scratch an owner-only directory for the upload while it is checked
   */
  public UpdateVerifier(TrustedKeys trusted, Path scratch) {
    this.trusted = trusted;
    this.scratch = scratch;
  }

  /**
   * @throws ApiException {@code UPDATE_REJECTED} with the failure cause when the upload is not an
   *     intact update signed by a trusted key
   */
  public NewUpdate verify(byte[] bytes) {
    if (trusted == null) {
      throw new ApiException(
          ErrorCode.UPDATE_REJECTED,
          "this server trusts no signing key, so it accepts no update; restart it with --trust"
              + " CERT (the certificate of the key updates are signed with)",
          "UNTRUSTED_SIGNER");
    }
    Path file = null;
    try {
      OwnerOnlyFiles.directory(scratch);
      file = Files.createTempFile(scratch, "upload-", ".jsplice");
      Files.write(file, bytes);
      UpdatePackage update = UpdateFile.read(file, trusted);
      X509Certificate signer = trustedSigner(file);
      return new NewUpdate(
          update.update(),
          bytes,
          Secrets.sha256(bytes),
          signer.getSubjectX500Principal().getName(),
          TrustedKeys.fingerprint(signer.getPublicKey()));
    } catch (UpdateRejectedException e) {
      String message =
          file == null ? e.getMessage() : e.getMessage().replace(file.toString(), "the upload");
      throw new ApiException(
          ErrorCode.UPDATE_REJECTED, message, io.jsplice.protocol.RejectionCauses.of(e).name());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the upload while checking it", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // the scratch directory is owner-only; a leftover is cleared at the next start
        }
      }
    }
  }

  /** The signer that made the file trusted ({@link UpdateFile#read} just checked there is one). */
  private X509Certificate trustedSigner(Path file) throws UpdateRejectedException {
    return UpdateFile.open(file).signers().stream()
        .filter(c -> trusted.trusts(c.getPublicKey()))
        .findFirst()
        .orElseThrow();
  }
}
