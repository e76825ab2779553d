package io.jsplice.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where jsplice looks for things when nobody says otherwise: the control sockets, the agent's
 * state, the trusted certificates. Agent and clients agree through this class.
 */
public final class DefaultPaths {
  /** Where control socket directories are made: shared, sticky, on every Linux. */
  public static final Path SOCKET_BASE = Path.of("/tmp");

  /** Trusted certificates for every user of the machine. */
  public static final Path SYSTEM_TRUST = Path.of("/etc/jsplice/trusted");

  /** The environment variable naming trusted certificates, path-separated. */
  public static final String TRUST_ENV = "JSPLICE_TRUST";

  private DefaultPaths() {}

  /**
   * The usual directory of the control sockets of the JVMs run by {@code uid}: {@code
   * /tmp/.jsplice-UID}. Anyone could have created that name first; when it is not private to {@code
   * uid} the agent makes a fresh one instead, named {@link #socketDirectoryPrefix} and a random
   * suffix, and clients find it from the target process itself.
   */
  public static Path socketDirectory(long uid) {
    return SOCKET_BASE.resolve(".jsplice-" + uid);
  }

  /** The name prefix of the fresh directories the agent makes when the usual one is not private. */
  public static String socketDirectoryPrefix(long uid) {
    return ".jsplice-" + uid + "-";
  }

  /** The socket's file name in its directory. */
  public static String socketFileName(long pid) {
    return pid + ".sock";
  }

  /** The usual control socket of JVM {@code pid} run by {@code uid}. */
  public static Path socketPath(long uid, long pid) {
    return socketDirectory(uid).resolve(socketFileName(pid));
  }

  /**
   * Whether {@code socket} is where an agent of {@code uid} in JVM {@code pid} (its pid as it sees
   * itself) would listen: in the usual directory or a fresh one.
   */
  public static boolean isSocketPath(Path socket, long uid, long pid) {
    Path dir = socket.getParent();
    if (dir == null
        || !SOCKET_BASE.equals(dir.getParent())
        || !socket.getFileName().toString().equals(socketFileName(pid))) {
      return false;
    }
    String name = dir.getFileName().toString();
    return name.equals(".jsplice-" + uid)
        || (name.startsWith(socketDirectoryPrefix(uid))
            && name.length() > socketDirectoryPrefix(uid).length());
  }

  /**
   * The agent's state directory for a user whose home is {@code home}: {@code ~/.jsplice/state}.
   */
  public static Path stateDirectory(Path home) {
    return home.toAbsolutePath().resolve(".jsplice").resolve("state");
  }

  /**
   * The trusted certificates a client uses when none are named: {@value #TRUST_ENV} if set, else
   * those of {@link #SYSTEM_TRUST} and {@code ~/.jsplice/trusted} that exist.
   *
   * @param env the value of {@value #TRUST_ENV}; may be null
   */
  public static List<Path> trust(String env, Path home) {
    List<Path> out = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      for (String part : env.split(java.io.File.pathSeparator)) {
        if (!part.isBlank()) {
          out.add(Path.of(part));
        }
      }
      return out;
    }
    for (Path candidate : List.of(SYSTEM_TRUST, home.resolve(".jsplice").resolve("trusted"))) {
      if (java.nio.file.Files.exists(candidate)) {
        out.add(candidate);
      }
    }
    return out;
  }
}
