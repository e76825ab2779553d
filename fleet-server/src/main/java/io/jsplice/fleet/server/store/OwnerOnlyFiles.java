package io.jsplice.fleet.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the server's user may read: the data directory (0700) and the secrets in it (0600),
 * created with those modes rather than restricted afterwards, so there is no moment another user
 * could open them.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Creates {@code dir} (0700) if absent; an existing one is restricted to 0700, once it is known
   * to be a real directory of this process's user. Another user's directory (or a link) is refused:
   * its owner could read the secrets, or plant an {@code admin.token} the server would take over.
   */
  public static Path directory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory (a symbolic link?)");
    }
    long owner = uid(dir);
    long self = uid(Path.of("/proc/self"));
    if (owner != self) {
      throw new IOException(
          dir
              + " belongs to uid "
              + owner
              + ", not to the server's user (uid "
              + self
              + "), who could read or replace the secrets in it; give a directory of the"
              + " server's user, or a new path");
    }
    Files.setPosixFilePermissions(dir, DIRECTORY);
    return dir;
  }

  private static long uid(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  /**
   * Writes {@code secret} and a newline to the new file {@code file}, mode 0600.
   *
   * @throws java.nio.file.FileAlreadyExistsException if it exists
   */
  public static void writeSecret(Path file, String secret) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
  }

  /** The secret in {@code file}: its first line, trimmed. */
  public static String readSecret(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }
}
