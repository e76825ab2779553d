package io.jsplice.client.internal;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.TargetNotFoundException;
import io.jsplice.client.UntrustedAgentException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Finds the control socket of the agent in a JVM, and proves that what answers there is that JVM's
 * agent before anything is sent to it.
 *
 * <p>The socket is found from the process itself: among the Unix domain sockets the target holds
 * open ({@code /proc/PID/fd}), the listening one bound to a jsplice socket path ({@code
 * /tmp/.jsplice-UID[-SUFFIX]/PID.sock}, in its network namespace's {@code net/unix}). So a socket
 * someone else created at the usual path is never even looked at, and the agent may move to a fresh
 * directory when the usual one was planted. Then, before connecting:
 *
 * <ol>
 *   <li>its directory is a real directory (not a link), owned by the target's user, mode 0700;
 *   <li>the socket file is a socket owned by the target's user;
 * </ol>
 *
 * and after connecting, the peer's credentials ({@code SO_PEERCRED}, recorded by the kernel when
 * the agent listened) name the target's user. Any failure is an {@link UntrustedAgentException}:
 * nothing is sent.
 *
 * <p>Reading another process's {@code fd} takes its own user or root, the same rule as the agent's
 * for its peers; another user learns nothing ({@link JvmProcess#notReachable}).
 */
public final class AgentSocket {
  private static final Pattern SOCKET_PATH =
      Pattern.compile("/tmp/\\.jsplice-[0-9]+(-[^/]+)?/[0-9]+\\.sock");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private AgentSocket() {}

  /**
   * The path through which this process reaches the agent's socket in {@code target}, checked; null
   * if the target holds no jsplice control socket (no agent, or its channel is closed).
   *
   * @throws TargetNotFoundException if the process is gone
   * @throws AgentUnavailableException if this user may not look into the process
   * @throws UntrustedAgentException if the socket or its directory is not private to the target's
   *     user
   */
  public static Path locate(JvmProcess target)
      throws TargetNotFoundException, AgentUnavailableException {
    String path = listeningPath(target);
    if (path == null) {
      return null;
    }
    Path reachable =
        target.otherMountNamespace()
            ? Path.of("/proc", Long.toString(target.pid()), "root", path.substring(1))
            : Path.of(path);
    checkPrivate(target, reachable);
    return reachable;
  }

  /** The path of the target's listening jsplice socket, in its own view; null if none. */
  /**
   * Readies this process to connect to a socket, touching no other process: a Unix domain socket
   * opened, never connected, and closed, its peer's credentials asked whether they can be read. The
   * first such socket of a JVM starts a secure random number generator (its names for temporary
   * sockets), and with it the JDK's security providers, and loads the native library of the peer's
   * credentials: a caller may have it done on another core while it reads the update to send. Best
   * effort: what fails here fails again where the socket is used, and is reported there.
   */
  public static void prepare() {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED);
    } catch (IOException | RuntimeException | LinkageError ignored) {
      // Reported where a socket is used.
    }
  }

  private static String listeningPath(JvmProcess target)
      throws TargetNotFoundException, AgentUnavailableException {
    Set<Long> held;
    List<ProcFs.ListeningSocket> listening;
    try {
      held = ProcFs.socketInodes(target.pid());
      listening = ProcFs.listeningUnixSockets(target.pid());
    } catch (NoSuchFileException e) {
      throw new TargetNotFoundException("JVM " + target.pid() + " has exited");
    } catch (AccessDeniedException e) {
      throw target.notReachable();
    } catch (IOException | RuntimeException e) {
      throw new AgentUnavailableException(
          "cannot read the sockets of JVM " + target.pid() + ": " + e.getMessage(), e);
    }
    List<String> found = new ArrayList<>();
    for (ProcFs.ListeningSocket socket : listening) {
      if (held.contains(socket.inode()) && SOCKET_PATH.matcher(socket.path()).matches()) {
        found.add(socket.path());
      }
    }
    if (found.size() > 1) {
      throw new UntrustedAgentException(
          "JVM "
              + target.pid()
              + " listens on "
              + found.size()
              + " jsplice control sockets "
              + found
              + "; one agent opens one: refusing to guess which answers for it");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  private static void checkPrivate(JvmProcess target, Path socket) throws UntrustedAgentException {
    Path dir = socket.getParent();
    try {
      PosixFileAttributes d =
          Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      long dirOwner = uid(dir);
      if (d.isSymbolicLink() || !d.isDirectory()) {
        throw untrusted(target, dir + " is not a directory but a link or file");
      }
      if (dirOwner != target.uid()) {
        throw untrusted(
            target, dir + " belongs to uid " + dirOwner + ", not to the JVM's uid " + target.uid());
      }
      if (!d.permissions().equals(OWNER_ONLY)) {
        throw untrusted(
            target,
            dir
                + " has mode "
                + PosixFilePermissions.toString(d.permissions())
                + ", not rwx------, so other users could replace the socket in it");
      }
      PosixFileAttributes s =
          Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      long socketOwner = uid(socket);
      if (!s.isOther() || s.isSymbolicLink()) {
        throw untrusted(target, socket + " is not a socket");
      }
      if (socketOwner != target.uid()) {
        throw untrusted(
            target,
            socket + " belongs to uid " + socketOwner + ", not to the JVM's uid " + target.uid());
      }
    } catch (NoSuchFileException e) {
      throw untrusted(target, socket + " was removed while being checked");
    } catch (IOException e) {
      throw untrusted(target, "cannot check " + socket + ": " + e.getMessage());
    }
  }

  /**
   * Fails unless the peer of {@code channel}, a connection to the target's socket, runs as the
   * target's user.
   */
  public static void checkPeer(JvmProcess target, SocketChannel channel)
      throws UntrustedAgentException {
    try {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      UserPrincipal expected = Files.getOwner(Path.of("/proc", Long.toString(target.pid())));
      if (!peer.user().equals(expected)) {
        throw untrusted(
            target,
            "the process listening on its socket runs as "
                + peer.user().getName()
                + ", not as "
                + expected.getName());
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw untrusted(target, "cannot read the credentials of the peer: " + e);
    }
  }

  private static long uid(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  private static UntrustedAgentException untrusted(JvmProcess target, String why) {
    return new UntrustedAgentException(
        "refusing to talk to what answers as the jsplice agent of JVM "
            + target.pid()
            + ": "
            + why
            + "; it may be an impostor planted by another user (see docs/threat-model.md)");
  }
}
