package io.jsplice.agent.control;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes sure the control socket's directory is private to one user: a real directory (not a
 * symbolic link), owned by that user, mode 0700. Then no other user can reach, replace or plant a
 * socket in it (root aside). The directory lives in {@code /tmp}, where anyone could have created
 * the name first, hence the checks on a directory that exists.
 */
final class SocketDirectory {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private SocketDirectory() {}

  /**
   * Creates {@code dir} (mode 0700) unless it exists, then checks it.
   *
   * @throws InsecureSocketDirectoryException if it is a link, not a directory, owned by another
   *     user or open to others
   * @throws IOException if it cannot be created or read
   */
  static void secure(Path dir, long uid) throws IOException {
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.setPosixFilePermissions(dir, OWNER_ONLY); // in case the umask took owner bits away
    } catch (FileAlreadyExistsException exists) {
      // Checked below like any directory we did not create.
    }
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String fix = "; remove it and load the agent again";
    if (attributes.isSymbolicLink()) {
      throw new InsecureSocketDirectoryException(dir + " is a symbolic link" + fix);
    }
    if (!attributes.isDirectory()) {
      throw new InsecureSocketDirectoryException(dir + " is not a directory" + fix);
    }
    long owner =
        ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    if (owner != uid) {
      throw new InsecureSocketDirectoryException(
          dir + " is owned by uid " + owner + ", not by this JVM's uid " + uid + fix);
    }
    if (!attributes.permissions().equals(OWNER_ONLY)) {
      throw new InsecureSocketDirectoryException(
          dir
              + " has mode "
              + PosixFilePermissions.toString(attributes.permissions())
              + ", not rwx------; remove it or chmod 700 it, and load the agent again");
    }
  }
}
