package io.jsplice.client;

import io.jsplice.model.UpdatePackage;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateLimits;
import io.jsplice.model.signing.UpdateRejectedException;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.RejectionCauses;
import io.jsplice.protocol.message.TrustedKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An update file read once and verified by the caller: the very bytes that were checked are the
 * bytes the agent receives ({@link AgentClient#apply}). Whoever can write where the file lies
 * cannot swap it between the check and the apply, because nobody reads the file again; the agent
 * never opens a path its caller names.
 *
 * @param file the file as the caller named it, for messages
 * @param bytes its content, at most {@link ControlProtocol#MAX_PAYLOAD}; shared, do not modify
 * @param sha256 of {@code bytes}, hex
 * @param update what the file holds
 * @param trust the keys it was verified against; empty when the caller trusted none (then only its
 *     integrity was checked, and the agent's own {@code trust=} decides)
 */
public record VerifiedUpdate(
    Path file, byte[] bytes, String sha256, UpdatePackage update, List<TrustedKey> trust) {

  /**
   * Reads {@code file} and verifies it: intact, and, when {@code trust} names certificates, signed
   * by one of their keys.
   *
   * @param trust trusted certificate files or directories; may be empty
   * @throws UpdateFileException with the precise cause when it is refused
   */
  public static VerifiedUpdate read(Path file, List<Path> trust) throws UpdateFileException {
    byte[] bytes = readBounded(file);
    TrustedKeys keys = null;
    if (!trust.isEmpty()) {
      try {
        keys = TrustedKeys.load(trust);
      } catch (IOException e) {
        throw new UpdateFileException(
            FailureCause.UNTRUSTED_SIGNER,
            "cannot read the trusted certificates " + trust + ": " + e.getMessage(),
            e);
      }
    }
    UpdatePackage update = verify(file, bytes, keys);
    List<TrustedKey> sent =
        keys == null
            ? List.of()
            : keys.keys().stream().map(k -> TrustedKey.of(k, trust.toString())).toList();
    return new VerifiedUpdate(file, bytes, sha256(bytes), update, sent);
  }

  /** The update's id. */
  public String id() {
    return update.update().id();
  }

  private static byte[] readBounded(Path file) throws UpdateFileException {
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.isRegularFile(file) && Files.size(file) > ControlProtocol.MAX_PAYLOAD) {
        // Refused by its size, before a byte of it is read.
        throw new UpdateFileException(
            FailureCause.CORRUPT_UPDATE,
            file + " is larger than " + (ControlProtocol.MAX_PAYLOAD >> 20) + " MiB; no update is",
            null);
      }
      byte[] bytes = in.readNBytes(ControlProtocol.MAX_PAYLOAD + 1);
      if (bytes.length > ControlProtocol.MAX_PAYLOAD) {
        throw new UpdateFileException(
            FailureCause.CORRUPT_UPDATE,
            file + " is larger than " + (ControlProtocol.MAX_PAYLOAD >> 20) + " MiB; no update is",
            null);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new UpdateFileException(FailureCause.CORRUPT_UPDATE, "no update file at " + file, e);
    } catch (AccessDeniedException e) {
      throw new UpdateFileException(
          FailureCause.CORRUPT_UPDATE,
          "cannot read " + file + ": permission denied for this user",
          e);
    } catch (IOException e) {
      throw new UpdateFileException(
          FailureCause.CORRUPT_UPDATE, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the very bytes that will be sent, within {@link UpdateLimits#DEFAULT}: trust and sizes
   * first, nothing inflated before ({@link UpdateFile}).
   */
  private static UpdatePackage verify(Path file, byte[] bytes, TrustedKeys keys)
      throws UpdateFileException {
    try {
      String shownAs = file.toString();
      return keys == null
          ? UpdateFile.open(bytes, shownAs, UpdateLimits.DEFAULT).update()
          : UpdateFile.read(bytes, shownAs, keys, UpdateLimits.DEFAULT);
    } catch (UpdateRejectedException e) {
      throw new UpdateFileException(RejectionCauses.of(e), e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
