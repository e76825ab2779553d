package io.jsplice.agent.restart;

import io.jsplice.model.record.ServiceRecordStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * What this service's JVMs verified before: for each recorded update's content (by SHA-256), that
 * its signature checked out against the agent's trusted keys (by the SHA-256 of the trust files'
 * bytes). A JVM that restarts with the same update and the same keys then skips the signature
 * check, the largest part of applying recorded updates again in a JVM that has just started.
 *
 * <p>A verdict is one file, {@code STATE/SERVICE/verdicts/UPDATE-SHA256}, holding the trust digest.
 * It is believed only if it and its directory are owned by this JVM's user and writable by nobody
 * else: a user who could write it could run any code in this JVM anyway. Anything else (missing,
 * another owner, open modes, another trust digest, unreadable) means "not verified before", and the
 * full check runs. Written atomically after a full check succeeded.
 *
 * <p>Thread-safe (files only).
 */
final class Verdicts {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path directory;
  private final String trustDigest; // null: the trust files cannot be read, no verdict holds
  private final long uid;

  private Verdicts(Path directory, String trustDigest, long uid) {
    this.directory = directory;
    this.trustDigest = trustDigest;
    this.uid = uid;
  }

  /** The verdicts of {@code store}'s service for the keys in {@code trust}. */
  static Verdicts of(ServiceRecordStore store, List<Path> trust) {
    return new Verdicts(store.directory().resolve("verdicts"), trustDigest(trust), currentUid());
  }

  /** Whether the content with this SHA-256 was verified against these keys before. */
  boolean verifiedBefore(String sha256) {
    if (trustDigest == null || uid < 0 || !ownedByUs(directory, true)) {
      return false;
    }
    Path file = directory.resolve(sha256);
    try {
      return ownedByUs(file, false)
          && Files.readString(file, StandardCharsets.UTF_8).trim().equals(trustDigest);
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /** Notes that the content with this SHA-256 checked out against these keys; best effort. */
  void remember(String sha256) {
    if (trustDigest == null || uid < 0) {
      return;
    }
    try {
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      if (!ownedByUs(directory, true)) {
        return;
      }
      Path temporary =
          Files.createTempFile(
              directory,
              ".verdict",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temporary, trustDigest + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary,
            directory.resolve(sha256),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException | RuntimeException e) {
      // A verdict not written only means the next start checks the signature again.
    }
  }

  /**
   * Owned by this JVM's uid, not a link, writable by nobody else (and private, for a directory).
   */
  private boolean ownedByUs(Path path, boolean directory) {
    try {
      PosixFileAttributes attributes =
          Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      long owner =
          ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
      Set<PosixFilePermission> modes = attributes.permissions();
      return owner == uid
          && (directory ? attributes.isDirectory() : attributes.isRegularFile())
          && !modes.contains(PosixFilePermission.GROUP_WRITE)
          && !modes.contains(PosixFilePermission.OTHERS_WRITE)
          && (!directory || modes.equals(OWNER_ONLY_DIR));
    } catch (NoSuchFileException absent) {
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** SHA-256 over each trust file's bytes (a directory: its certificate files, by name). */
  private static String trustDigest(List<Path> trust) {
    if (trust.isEmpty()) {
      return null;
    }
    try {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (Path path : trust) {
        List<Path> files = Files.isDirectory(path) ? certificatesIn(path) : List.of(path);
        for (Path file : files) {
          byte[] bytes = Files.readAllBytes(file);
          all.write((file + "\n" + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
          all.write(bytes);
        }
      }
      return ServiceRecordStore.sha256(all.toByteArray());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The files {@code TrustedKeys.load} reads from a directory, in the order it reads them. */
  private static List<Path> certificatesIn(Path directory) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(directory)) {
      return files
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer");
              })
          .sorted()
          .toList();
    }
  }

  private static long currentUid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
