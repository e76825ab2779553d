package io.jsplice.fleet.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The daemon's trusted certificates decide what it applies to every JVM of the host, so only the
 * daemon's own user may be able to change them: each file (and directory) must belong to that user
 * or root and must not be writable by group or others. As sshd's StrictModes, a looser file is
 * refused rather than trusted.
 */
final class TrustFiles {
  private TrustFiles() {}

  static void check(List<Path> paths) throws IOException {
    long self = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    for (Path path : paths) {
      List<Path> files = new ArrayList<>();
      files.add(path);
      if (Files.isDirectory(path)) {
        try (var list = Files.list(path)) {
          list.forEach(files::add);
        }
      }
      for (Path file : files) {
        Path real = file.toRealPath();
        long owner = ((Number) Files.getAttribute(real, "unix:uid")).longValue();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(real);
        if (owner != self && owner != 0) {
          throw new IOException(
              file
                  + " belongs to uid "
                  + owner
                  + "; the daemon trusts only its own user's or root's files");
        }
        if (mode.contains(PosixFilePermission.GROUP_WRITE)
            || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
          throw new IOException(
              file + " is writable by other users; chmod go-w " + file + " before trusting it");
        }
      }
    }
  }
}
