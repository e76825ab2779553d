package io.jsplice.agent.control;

import io.jsplice.agent.log.AgentLog;
import io.jsplice.protocol.DefaultPaths;
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
 * Chooses a directory for the control socket that is private to this JVM's user: a real directory
 * (not a symbolic link), owned by that user, mode 0700. Then no other user can reach, replace or
 * plant a socket in it (root aside).
 *
 * <p>The usual directory, {@code /tmp/.jsplice-UID}, lives where anyone could have created the name
 * first. When it is not private (another user planted it, or its mode is open) the agent does not
 * give up: it makes a fresh directory with a name nobody can guess ({@code /tmp/.jsplice-UID-XXXX},
 * created exclusively, mode 0700), and says so in its log. Clients find the socket from the target
 * process itself (its open sockets), so they need no fixed path.
 */
final class SocketDirectory {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  /**
   * Where the socket goes.
   *
   * @param socket the socket file's path
   * @param fresh whether its directory was made for this JVM alone, to be removed with the socket
   */
  record Chosen(Path socket, boolean fresh) {
    /** Removes the directory if it was made for this JVM; never throws. */
    void release() {
      if (fresh) {
        try {
          Files.deleteIfExists(socket.getParent());
        } catch (IOException notEmpty) {
          // Something else is in it; leave it.
        }
      }
    }
  }

  private SocketDirectory() {}

  /**
   * The usual directory if it is private to {@code uid} (creating it if absent), else a fresh one.
   *
   * @throws IOException if no private directory can be made
   */
  static Chosen choose(long uid, long pid, AgentLog log) throws IOException {
    Path usual = DefaultPaths.socketDirectory(uid);
    String name = DefaultPaths.socketFileName(pid);
    try {
      secure(usual, uid);
      return new Chosen(usual.resolve(name), false);
    } catch (InsecureSocketDirectoryException planted) {
      Path fresh =
          Files.createTempDirectory(
              DefaultPaths.SOCKET_BASE,
              DefaultPaths.socketDirectoryPrefix(uid),
              PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.setPosixFilePermissions(fresh, OWNER_ONLY); // in case the umask took owner bits away
      check(fresh, uid);
      log.warn(
          "the usual control socket directory is not safe to use ("
              + planted.getMessage()
              + "); listening in "
              + fresh
              + " instead, which jsplice finds from this process");
      return new Chosen(fresh.resolve(name), true);
    }
  }

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
    check(dir, uid);
  }

  /** Whether {@code dir} exists and is private to {@code uid}; creates nothing, never throws. */
  static boolean isPrivate(Path dir, long uid) {
    try {
      check(dir, uid);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void check(Path dir, long uid) throws IOException {
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
