package io.jsplice.fleet.daemon.state;

import io.jsplice.fleet.api.FleetJson;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's own directory: its identity and secret, the cached update list and packages, the
 * ledger of what it applied, the events it has not reported yet, and its status. Only the daemon's
 * user may enter it (0700), and it must be that user's: a directory another user could write is
 * refused, since the daemon (often root) would read back what that user put there. Every file is
 * replaced atomically (written beside, then renamed), so a crash leaves the old or the new one.
 */
public final class StateDirectory {
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PRIVATE_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path dir;

  private StateDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens {@code dir}, creating it (0700) if absent.
   *
   * @throws UnsafeStateException when it is not a directory of this user, or others may enter or
   *     write it
   */
  public static StateDirectory open(Path dir) throws IOException, UnsafeStateException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    }
    PosixFileAttributes attributes =
        Files.readAttributes(absolute, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      throw new UnsafeStateException(absolute + " is not a directory (a symbolic link?)");
    }
    long owner =
        ((Number) Files.getAttribute(absolute, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    long self = currentUid();
    if (owner != self) {
      throw new UnsafeStateException(
          absolute + " belongs to uid " + owner + ", not to this daemon's user (uid " + self + ")");
    }
    if (!attributes.permissions().equals(PRIVATE_DIR)) {
      throw new UnsafeStateException(
          absolute
              + " is mode "
              + PosixFilePermissions.toString(attributes.permissions())
              + "; other users must not enter it: chmod 700 "
              + absolute);
    }
    StateDirectory state = new StateDirectory(absolute);
    Files.createDirectories(state.packages(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    return state;
  }

  /** The uid of this process (the owner of {@code /proc/self}). */
  static long currentUid() throws IOException {
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
  }

  public Path dir() {
    return dir;
  }

  public Path packages() {
    return dir.resolve("packages");
  }

  /** Touching this file makes a running daemon poll at once. */
  public Path pollNow() {
    return dir.resolve("poll-now");
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Replaces {@code name} with {@code bytes}, owner-only, atomically. */
  public void write(String name, byte[] bytes) throws IOException {
    write(dir.resolve(name), bytes);
  }

  public void write(Path file, byte[] bytes) throws IOException {
    Path temporary =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
    try {
      Files.write(temporary, bytes);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  public void writeJson(String name, Object value) throws IOException {
    write(name, FleetJson.write(value));
  }

  /** The JSON in {@code name} as a {@code type}; empty if there is no such file. */
  public <T> Optional<T> readJson(String name, Class<T> type) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(FleetJson.read(Files.readAllBytes(file), type));
  }
}
