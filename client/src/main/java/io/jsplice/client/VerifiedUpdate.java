package io.jsplice.client;

import io.jsplice.model.UpdatePackage;
import io.jsplice.protocol.ControlProtocol;
import io.jsplice.protocol.message.TrustedKey;
import java.nio.file.Path;
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
    return UpdatePayload.read(file, trust).verify();
  }

  /** The update's id. */
  public String id() {
    return update.update().id();
  }
}
