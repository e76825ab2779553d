package io.jsplice.fleet.daemon;

import io.jsplice.fleet.api.AvailableUpdate;
import io.jsplice.fleet.daemon.state.StateDirectory;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.TrustedKeys;
import io.jsplice.model.signing.UpdateFile;
import io.jsplice.model.signing.UpdateRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The signed update files the daemon applies: downloaded once into {@code STATE/packages} (named by
 * their SHA-256), checked against the hash the server listed, and verified against the daemon's own
 * trusted keys, whatever the server trusts. A file that fails either check is deleted and never
 * applied.
 */
final class Packages {
  private final StateDirectory state;
  private final TrustedKeys trusted;

  Packages(StateDirectory state, TrustedKeys trusted) {
    this.state = state;
    this.trusted = trusted;
  }

  /** Where a verified copy of {@code update} is, if the daemon has one. */
  Path cached(AvailableUpdate update) {
    Path file = file(update);
    return Files.isRegularFile(file) ? file : null;
  }

  private Path file(AvailableUpdate update) {
    return state.packages().resolve(update.sha256() + ".jsplice");
  }

  /**
   * Keeps the downloaded {@code bytes} of {@code update} once they check out.
   *
   * @throws PackageRejectedException when they do not: wrong hash, bad signature, other update
   */
  Path keep(AvailableUpdate update, byte[] bytes) throws IOException, PackageRejectedException {
    String actual = sha256(bytes);
    if (!actual.equals(update.sha256())) {
      throw new PackageRejectedException(
          "CORRUPT_UPDATE",
          "the server sent update "
              + update.id()
              + " with SHA-256 "
              + actual
              + ", not the listed "
              + update.sha256()
              + "; not applied");
    }
    Path file = file(update);
    state.write(file, bytes);
    try {
      verify(update, file);
    } catch (PackageRejectedException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  /** Checks the signature of the file of {@code update} against the daemon's trusted keys. */
  void verify(AvailableUpdate update, Path file) throws PackageRejectedException {
    UpdatePackage read;
    try {
      read = UpdateFile.read(file, trusted);
    } catch (UpdateRejectedException e) {
      throw new PackageRejectedException(
          io.jsplice.protocol.RejectionCauses.of(e).name(),
          "update "
              + update.id()
              + " from the server: "
              + e.getMessage().replace(file.toString(), "the package"));
    }
    if (!read.update().id().equals(update.id())) {
      throw new PackageRejectedException(
          "CORRUPT_UPDATE",
          "the server listed update "
              + update.id()
              + " but its package is update "
              + read.update().id()
              + "; not applied");
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A package that must not be applied. */
  static final class PackageRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String cause;

    PackageRejectedException(String cause, String message) {
      super(message);
      this.cause = cause;
    }

    String failureCause() {
      return cause;
    }
  }
}
