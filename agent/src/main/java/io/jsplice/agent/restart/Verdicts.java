package io.jsplice.agent.restart;

import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What this service's JVMs verified before: for each recorded update's content (by SHA-256), that
 * its signature checked out against the agent's trusted keys (by the SHA-256 of the trust files'
 * bytes). A JVM that restarts with the same update and the same keys then skips the signature check
 * and the check of its class files, which the full read did ({@code
 * UpdateFile.readVerifiedBefore}): the largest part of applying recorded updates again in a JVM
 * that has just started.
 *
 * <p>A verdict is one file, {@code STATE/SERVICE/verdicts/UPDATE-SHA256}, holding the trust digest,
 * believed as {@link OwnerOnlyDirectory} says. Anything else (missing, another owner, open modes,
 * another trust digest, unreadable) means "not verified before", and the full check runs. Written
 * after a full check succeeded.
 *
 * <p>Thread-safe (files only).
 */
final class Verdicts {
  private final OwnerOnlyDirectory directory;
  private final String trustDigest; // null: the trust files cannot be read, no verdict holds

  private Verdicts(OwnerOnlyDirectory directory, String trustDigest) {
    this.directory = directory;
    this.trustDigest = trustDigest;
  }

  /** The verdicts of {@code store}'s service for the keys in {@code trust}. */
  static Verdicts of(ServiceRecordStore store, List<Path> trust) {
    return new Verdicts(
        new OwnerOnlyDirectory(store.directory().resolve("verdicts")), trustDigest(trust));
  }

  /** Whether the content with this SHA-256 was verified against these keys before. */
  boolean verifiedBefore(String sha256) {
    return trustDigest != null && trustDigest.equals(directory.read(sha256));
  }

  /** Notes that the content with this SHA-256 checked out against these keys; best effort. */
  void remember(String sha256) {
    if (trustDigest != null) {
      directory.write(sha256, trustDigest);
    }
  }

  /** SHA-256 over each trust file's bytes (a directory: its certificate files, by name). */
  static String trustDigest(List<Path> trust) {
    if (trust.isEmpty()) {
      return null;
    }
    try {
      return trustDigestOf(TrustedKeys.certificateFiles(trust));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@link #trustDigest} over {@code files}, as {@link TrustedKeys#certificateFiles} lists them;
   * null if one cannot be read.
   */
  static String trustDigestOf(List<Path> files) {
    try {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (Path file : files) {
        byte[] bytes = Files.readAllBytes(file);
        all.write((file + "\n" + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
        all.write(bytes);
      }
      return ServiceRecordStore.sha256(all.toByteArray());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
