package io.jsplice.agent.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * A directory of small files that this JVM's user alone can have written: what a service's JVMs
 * remember from one start to the next ({@link Verdicts}, {@link LoadVerdicts}).
 *
 * <p>A file is believed only if it and the directory are owned by this JVM's user, are not links,
 * and are writable by nobody else (the directory private): a user who could write them could run
 * any code in this JVM anyway. Anything else reads as absent. Files are written atomically.
 *
 * <p>Thread-safe (files only).
 */
final class OwnerOnlyDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  // The same, as bits of a file's mode (st_mode), which ownedByUs reads.
  private static final int OWNER_ONLY_DIR_MODE = 0700;
  private static final int GROUP_WRITE = 0020;
  private static final int OTHERS_WRITE = 0002;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;

  private final Path directory;
  private final long uid;

  OwnerOnlyDirectory(Path directory) {
    this.directory = directory;
    this.uid = currentUid();
  }

  /** The content of file {@code name}, if it is believed; null otherwise. */
  String read(String name) {
    if (uid < 0 || !ownedByUs(directory, true)) {
      return null;
    }
    Path file = directory.resolve(name);
    try {
      return ownedByUs(file, false) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** The bytes of file {@code name}, exactly, if it is believed; null otherwise. */
  byte[] readBytes(String name) {
    if (uid < 0 || !ownedByUs(directory, true)) {
      return null;
    }
    Path file = directory.resolve(name);
    try {
      return ownedByUs(file, false) ? Files.readAllBytes(file) : null;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * A believed file's bytes, exactly, and its {@link FileFingerprint} as it was before they were
   * read (null if the file system gives none).
   */
  record Read(byte[] bytes, String fingerprintBefore) {}

  /**
   * The bytes of file {@code name}, exactly, if it is believed, with its fingerprint before the
   * read; null if it is not believed. One look at the file's attributes gives both its owner and
   * mode and its fingerprint (the cache reads its files in the application's class loads, where
   * each look costs). A believed file is no link, so its fingerprint is the one {@link
   * #fingerprint} gives.
   */
  Read readWithFingerprint(String name) {
    if (uid < 0 || !ownedByUs(directory, true)) {
      return null;
    }
    Path file = directory.resolve(name);
    try {
      Map<String, Object> attributes =
          Files.readAttributes(
              file, "unix:uid,mode," + FileFingerprint.ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      if (!ownedByUs(attributes, false)) {
        return null;
      }
      String fingerprint = FileFingerprint.of(attributes);
      return new Read(Files.readAllBytes(file), fingerprint);
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** File {@code name}'s {@link FileFingerprint}, or null. */
  String fingerprint(String name) {
    return FileFingerprint.of(directory.resolve(name));
  }

  /** Writes {@code content} and a line end to file {@code name}; as {@link #writeBytes}. */
  void write(String name, String content) {
    writeBytes(name, (content + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes exactly {@code content} to file {@code name}, creating the directory; best effort. */
  void writeBytes(String name, byte[] content) {
    if (uid < 0) {
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
              ".remembered",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temporary, content);
      try {
        Files.move(
            temporary,
            directory.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException | RuntimeException e) {
      // Not written only means the next start does the work again.
    }
  }

  /**
   * Owned by this JVM's uid, not a link, writable by nobody else (and private, for a directory).
   * One {@code lstat}: its owner and mode (file type and permission bits) as the system gives them.
   */
  private boolean ownedByUs(Path path, boolean isDirectory) {
    try {
      return ownedByUs(
          Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS), isDirectory);
    } catch (NoSuchFileException absent) {
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * As {@link #ownedByUs(Path, boolean)}, of its {@code unix:uid,mode} attributes, not followed.
   */
  private boolean ownedByUs(Map<String, Object> attributes, boolean isDirectory) {
    long owner = ((Number) attributes.get("uid")).longValue();
    int mode = ((Number) attributes.get("mode")).intValue();
    int type = mode & S_IFMT;
    int permissions = mode & 0777;
    return owner == uid
        && type == (isDirectory ? S_IFDIR : S_IFREG)
        && (permissions & (GROUP_WRITE | OTHERS_WRITE)) == 0
        && (!isDirectory || permissions == OWNER_ONLY_DIR_MODE);
  }

  private static long currentUid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
