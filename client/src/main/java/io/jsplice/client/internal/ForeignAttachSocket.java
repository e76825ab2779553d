package io.jsplice.client.internal;

import io.jsplice.client.JvmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The refusal of an attach socket ({@code /tmp/.java_pid<PID>}) that belongs to another user than
 * the JVM's: what it most likely is and what to do about it. It is never used or deleted here: a
 * socket of another user is an attack surface, and only its owner or root may judge it.
 *
 * <p>The usual case is a stale file: a JVM of another user was killed (SIGKILL leaves the socket
 * behind), and the kernel gave its pid to this JVM ({@code pid_max} may be as low as 32768). Such a
 * file was last modified before this JVM started. The JVM's start is {@code starttime} of {@code
 * /proc/PID/stat} as {@link ProcessHandle.Info#startInstant} reads it: from the boot time in whole
 * seconds, so never later than the real start, and a file made after the start is never called
 * stale.
 */
final class ForeignAttachSocket {
  private ForeignAttachSocket() {}

  /**
   * The message: the socket, its owner and its last change, whether that was before the JVM
   * started, and the command that removes it.
   *
   * @param uid the socket's owner, as the caller read it
   * @param gid the socket's group, as the caller read it
   */
  static String refusal(JvmProcess target, Path socket, long uid, long gid) {
    Instant modified = modified(socket);
    Instant started = started(target.pid());
    String owner = owner(socket, uid);
    String whose =
        ("refusing the attach socket %s of JVM %d: it belongs to %s (uid %d gid %d),"
                + " not to the JVM's user %s (uid %d gid %d)")
            .formatted(
                socket, target.pid(), owner, uid, gid, target.user(), target.uid(), target.gid());
    String what;
    if (modified == null || started == null) {
      what = ": whether it is older than the JVM cannot be read. ";
    } else if (modified.isBefore(started)) {
      what =
          (", last modified %s, before the JVM started (%s): it is stale, most likely left by"
                  + " a killed earlier process with pid %d. ")
              .formatted(seconds(modified), seconds(started), target.namespacePid());
    } else {
      what =
          (", last modified %s, after the JVM started (%s): another user's process made it"
                  + " while this JVM ran; find out why. ")
              .formatted(seconds(modified), seconds(started));
    }
    String remedy =
        ("jsplice neither uses nor deletes another user's socket; remove it (as %s): rm %s,"
                + " then try again")
            .formatted(owner.equals("root") ? "root" : "root or " + owner, socket);
    return whose + what + remedy;
  }

  private static String seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String owner(Path socket, long uid) {
    try {
      return Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException | RuntimeException e) {
      return "uid " + uid;
    }
  }

  /** The file's last modification; null if it cannot be read (it may have gone meanwhile). */
  private static Instant modified(Path socket) {
    try {
      return Files.getLastModifiedTime(socket, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** When the process started; null if unknown (it may have exited). */
  private static Instant started(long pid) {
    Optional<Instant> start =
        ProcessHandle.of(pid).flatMap(process -> process.info().startInstant());
    return start.orElse(null);
  }
}
