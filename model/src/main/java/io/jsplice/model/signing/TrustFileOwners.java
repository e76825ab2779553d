package io.jsplice.model.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Who can change the trusted certificates: only this process's user and root. The certificates
 * decide which code a caller puts into JVMs (root's {@code jsplice apply} into any JVM of the
 * machine, the fleet daemon into every JVM of its host), so a certificate file another user can
 * replace lets that user choose the code. As sshd's {@code StrictModes}: each file (a directory's
 * certificate files too) and every directory above it, by the path given and by its real path, must
 * belong to this user or root and must not be writable by group or others; a directory with the
 * sticky bit that root owns ({@code /tmp}) is allowed, since there only an entry's owner may rename
 * or remove it. A looser file is refused, never read.
 *
 * <p>A path that does not exist is left to {@link TrustedKeys#load}, which says so.
 */
public final class TrustFileOwners {
  private static final int GROUP_OR_OTHERS_WRITE = 0022;
  private static final int STICKY = 01000;

  private TrustFileOwners() {}

  /**
   * @param who whose trust it is, for messages ({@code "the daemon"}, {@code "jsplice"})
   * @throws IOException a file or directory another user could change, saying which and why
   */
  public static void check(List<Path> paths, String who) throws IOException {
    long self = uid(Path.of("/proc/self"));
    for (Path path : paths) {
      if (!Files.exists(path)) {
        continue;
      }
      // The file (or directory) itself first: its owner is the likelier mistake.
      checkEntry(path, path.toRealPath(), self, who);
      for (Path file : TrustedKeys.certificateFiles(List.of(path))) {
        checkEntry(file, file.toRealPath(), self, who);
      }
      checkAbove(path, self, who);
      checkAbove(path.toRealPath(), self, who);
      for (Path file : TrustedKeys.certificateFiles(List.of(path))) {
        checkAbove(file.toRealPath(), self, who);
      }
    }
  }

  private static void checkEntry(Path shown, Path real, long self, String who) throws IOException {
    long owner = uid(real);
    if (owner != self && owner != 0) {
      throw new IOException(
          shown
              + " belongs to uid "
              + owner
              + "; "
              + who
              + " trusts only its own user's or root's"
              + " files");
    }
    if ((mode(real) & GROUP_OR_OTHERS_WRITE) != 0) {
      throw new IOException(
          shown + " is writable by other users; chmod go-w " + shown + " before trusting it");
    }
  }

  /** The directories above {@code path} (absolute, as given: links in it followed by stat). */
  private static void checkAbove(Path path, long self, String who) throws IOException {
    for (Path dir = path.toAbsolutePath().normalize().getParent();
        dir != null;
        dir = dir.getParent()) {
      long owner;
      int mode;
      try {
        owner = uid(dir);
        mode = mode(dir);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (owner != self && owner != 0) {
        throw new IOException(
            dir
                + ", a directory above the trusted certificates "
                + path
                + ", belongs to uid "
                + owner
                + "; "
                + who
                + " trusts only certificates no other user can replace");
      }
      if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && !(owner == 0 && (mode & STICKY) != 0)) {
        throw new IOException(
            dir
                + ", a directory above the trusted certificates "
                + path
                + ", is writable by other users, who could replace them; chmod go-w "
                + dir
                + " before trusting them");
      }
    }
  }

  private static long uid(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid")).longValue();
  }

  private static int mode(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:mode")).intValue();
  }
}
