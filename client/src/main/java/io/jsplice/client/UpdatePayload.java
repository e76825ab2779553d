package io.jsplice.client;

import io.jsplice.client.internal.CertificateKeys;
import io.jsplice.client.internal.Sha256;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.signing.TrustFileOwners;
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
import java.util.List;
import java.util.Optional;

/**
 * An update file read once, with the keys it must be signed by: what an apply request carries
 * ({@link AgentClient#apply(UpdatePayload, io.jsplice.protocol.message.Quiescence, boolean)}). The
 * agent verifies these bytes against these keys (or, when there are none, against its own {@code
 * trust=}) before it uses them, whoever sent them. A caller about to load the agent for this update
 * verifies them first ({@link #verify}), so that no JVM is touched for an update it would refuse.
 *
 * <p>Immutable; {@link #bytes} is shared, do not modify it.
 */
public final class UpdatePayload {
  private final Path file;
  private final byte[] bytes;
  private final String sha256;
  private final List<Path> trustPaths; // empty: the caller trusts none
  private final List<TrustedKey> trust;

  private UpdatePayload(Path file, byte[] bytes, List<Path> trustPaths, List<TrustedKey> trust) {
    this.file = file;
    this.bytes = bytes;
    this.sha256 = Sha256.hex(bytes); // not the JDK's: no security provider starts for it
    this.trustPaths = List.copyOf(trustPaths);
    this.trust = trust;
  }

  /**
   * Reads {@code file}, at most {@link ControlProtocol#MAX_PAYLOAD} of it, and the keys of the
   * certificates of {@code trust}; checks nothing of the update yet.
   *
   * @param trust trusted certificate files or directories; may be empty
   * @throws UpdateFileException when the file cannot be read, is empty or too large, or the
   *     certificates cannot be read
   */
  public static UpdatePayload read(Path file, List<Path> trust) throws UpdateFileException {
    byte[] bytes = readBounded(file);
    return new UpdatePayload(file, bytes, trust, trust.isEmpty() ? List.of() : keys(trust));
  }

  /**
   * The keys of {@code trust}'s certificates: read plainly ({@link CertificateKeys}) when they are
   * plain, else by the JDK's certificate parser, whose verdict then stands.
   */
  private static List<TrustedKey> keys(List<Path> trust) throws UpdateFileException {
    String source = trust.toString();
    try {
      TrustFileOwners.check(trust, "jsplice");
    } catch (IOException e) {
      throw new UpdateFileException(
          FailureCause.UNTRUSTED_SIGNER,
          "refusing the trusted certificates " + trust + ": " + e.getMessage(),
          e);
    }
    try {
      Optional<List<TrustedKey>> plain =
          CertificateKeys.read(TrustedKeys.certificateFiles(trust), source);
      if (plain.isPresent() && !plain.get().isEmpty()) {
        return plain.get();
      }
      return TrustedKeys.load(trust).keys().stream().map(k -> TrustedKey.of(k, source)).toList();
    } catch (IOException e) {
      throw new UpdateFileException(
          FailureCause.UNTRUSTED_SIGNER,
          "cannot read the trusted certificates " + trust + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Verifies the bytes here, as the agent does, within {@link UpdateLimits#DEFAULT}: intact, and,
   * when the caller trusts keys, signed by one of them (the keys the request carries).
   *
   * @throws UpdateFileException with the precise cause when it is refused
   */
  public VerifiedUpdate verify() throws UpdateFileException {
    try {
      String shownAs = file.toString();
      return new VerifiedUpdate(
          file,
          bytes,
          sha256,
          trust.isEmpty()
              ? UpdateFile.open(bytes, shownAs, UpdateLimits.DEFAULT).update()
              : UpdateFile.read(bytes, shownAs, trustedKeys(), UpdateLimits.DEFAULT),
          trust);
    } catch (UpdateRejectedException e) {
      throw new UpdateFileException(RejectionCauses.of(e), e.getMessage(), e);
    }
  }

  /** {@link #trust} as keys to verify with. */
  private TrustedKeys trustedKeys() throws UpdateFileException {
    try {
      return TrustedKeys.ofKeys(
          trust.stream().map(TrustedKey::publicKey).toList(), trustPaths.toString());
    } catch (IllegalArgumentException e) {
      throw new UpdateFileException(
          FailureCause.UNTRUSTED_SIGNER,
          "cannot read the trusted certificates " + trustPaths + ": " + e.getMessage(),
          e);
    }
  }

  /** The file as the caller named it, for messages; never opened by the agent. */
  public Path file() {
    return file;
  }

  public byte[] bytes() {
    return bytes;
  }

  /** SHA-256 of {@link #bytes}, hex. */
  public String sha256() {
    return sha256;
  }

  /** The keys the update must be signed by; empty: the agent's own {@code trust=} decides. */
  public List<TrustedKey> trust() {
    return trust;
  }

  private static byte[] readBounded(Path file) throws UpdateFileException {
    try (InputStream in = Files.newInputStream(file)) {
      if (Files.isRegularFile(file) && Files.size(file) > ControlProtocol.MAX_PAYLOAD) {
        // Refused by its size, before a byte of it is read.
        throw tooLarge(file);
      }
      byte[] bytes = in.readNBytes(ControlProtocol.MAX_PAYLOAD + 1);
      if (bytes.length > ControlProtocol.MAX_PAYLOAD) {
        throw tooLarge(file);
      }
      if (bytes.length == 0) {
        // Refused here, as a file: the agent would see an apply without its update's bytes.
        throw new UpdateFileException(
            FailureCause.CORRUPT_UPDATE, file + " is empty; no update is", null);
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

  private static UpdateFileException tooLarge(Path file) {
    return new UpdateFileException(
        FailureCause.CORRUPT_UPDATE,
        file + " is larger than " + (ControlProtocol.MAX_PAYLOAD >> 20) + " MiB; no update is",
        null);
  }
}
