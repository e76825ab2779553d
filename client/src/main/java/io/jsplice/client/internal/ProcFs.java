package io.jsplice.client.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Linux's {@code /proc} says about processes and their sockets. Each method reads the files
 * afresh; nothing is cached. Reading a process's {@code fd}, {@code maps}, {@code exe}, {@code
 * net/unix} or {@code ns} takes the right to trace it (its own user or root): those throw {@link
 * java.nio.file.AccessDeniedException} otherwise.
 */
public final class ProcFs {
  private static final int SO_ACCEPTCON = 0x10000;

  private ProcFs() {}

  /**
   * From {@code /proc/PID/status}.
   *
   * @param uid the effective user id
   * @param gid the effective group id
   * @param namespacePid the pid in the innermost pid namespace
   */
  public record Status(long uid, long gid, long namespacePid) {}

  public static Status status(long pid) throws IOException {
    long uid = -1;
    long gid = -1;
    long nsPid = pid;
    for (String line : Files.readAllLines(proc(pid).resolve("status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("Uid:")) {
        uid = Long.parseLong(fields(line)[2]);
      } else if (line.startsWith("Gid:")) {
        gid = Long.parseLong(fields(line)[2]);
      } else if (line.startsWith("NSpid:")) {
        String[] f = fields(line);
        nsPid = Long.parseLong(f[f.length - 1]);
      }
    }
    if (uid < 0 || gid < 0) {
      throw new IOException("/proc/" + pid + "/status names no Uid or Gid");
    }
    return new Status(uid, gid, nsPid);
  }

  /** This process's effective user id. */
  public static long selfUid() {
    try {
      return status(ProcessHandle.current().pid()).uid();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read this process's own status", e);
    }
  }

  /** The name of {@code uid} (the owner of {@code /proc/PID}), or the number. */
  public static String userName(long pid, long uid) {
    try {
      return Files.getOwner(proc(pid)).getName();
    } catch (IOException | RuntimeException e) {
      return Long.toString(uid);
    }
  }

  /** Whether {@code pid} sees another mount namespace than this process; false if unknown. */
  public static boolean otherMountNamespace(long pid) {
    try {
      Path self = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
      return !self.equals(Files.readSymbolicLink(proc(pid).resolve("ns/mnt")));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether the process maps {@code libjvm.so}: a HotSpot (or OpenJ9 with a libjvm) JVM. */
  public static boolean mapsJvm(long pid) throws IOException {
    try (BufferedReader maps = Files.newBufferedReader(proc(pid).resolve("maps"))) {
      for (String line = maps.readLine(); line != null; line = maps.readLine()) {
        if (line.endsWith("/libjvm.so")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The command line's words. */
  public static List<String> commandLine(long pid) throws IOException {
    byte[] raw;
    try (InputStream in = Files.newInputStream(proc(pid).resolve("cmdline"))) {
      raw = in.readNBytes(64 * 1024);
    }
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        words.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < raw.length) {
      words.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
    }
    return words;
  }

  /** The executable, as the process's own view of the file system names it. */
  public static Path executable(long pid) throws IOException {
    return Files.readSymbolicLink(proc(pid).resolve("exe"));
  }

  /** The inodes of the sockets the process holds open ({@code socket:[N]} in its {@code fd}). */
  public static Set<Long> socketInodes(long pid) throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc(pid).resolve("fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue;
        }
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
        }
      }
    }
    return inodes;
  }

  /**
   * A listening Unix domain socket bound to a path.
   *
   * @param inode the socket's inode, as {@code /proc/PID/fd} names it
   * @param path the path it was bound to, in the binding process's view of the file system
   */
  public record ListeningSocket(long inode, String path) {}

  /**
   * The listening, path-bound Unix domain sockets of the network namespace {@code pid} is in
   * ({@code /proc/PID/net/unix}).
   */
  public static List<ListeningSocket> listeningUnixSockets(long pid) throws IOException {
    List<ListeningSocket> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(proc(pid).resolve("net/unix"), StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      // Num RefCount Protocol Flags Type St Inode Path
      String[] f = lines.get(i).trim().split("\\s+", 8);
      if (f.length < 8) {
        continue;
      }
      int flags = Integer.parseInt(f[3], 16);
      if ((flags & SO_ACCEPTCON) == 0 || !f[7].startsWith("/")) {
        continue;
      }
      out.add(new ListeningSocket(Long.parseLong(f[6]), f[7]));
    }
    return out;
  }

  private static Path proc(long pid) {
    return Path.of("/proc", Long.toString(pid));
  }

  private static String[] fields(String line) {
    return line.trim().split("\\s+");
  }
}
