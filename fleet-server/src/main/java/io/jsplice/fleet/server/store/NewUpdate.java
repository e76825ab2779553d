package io.jsplice.fleet.server.store;

import io.jsplice.model.Update;
import java.util.Objects;

/**
 * An uploaded update whose signature the server verified against the keys it trusts.
 *
 * @param update its descriptor, read from the verified file
 * @param bytes the signed file, byte for byte as uploaded; served unchanged
 * @param sha256 hex SHA-256 of {@code bytes}
 * @param signer the signing certificate's subject
 * @param signerKey SHA-256 fingerprint of the signing key
 */
public record NewUpdate(
    Update update, byte[] bytes, String sha256, String signer, String signerKey) {
  public NewUpdate {
    Objects.requireNonNull(update, "update");
    Objects.requireNonNull(bytes, "bytes");
  }
}
