package io.jsplice.client;

import io.jsplice.client.LocalJvm.AgentPresence;
import io.jsplice.client.internal.ProcFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The JVMs on this machine that this user can see: every process that maps {@code libjvm.so}, found
 * through {@code /proc} (so a JVM started with {@code -XX:-UsePerfData} is listed too, and no file
 * in another user's {@code hsperfdata} directory is read). A user other than root sees their own
 * JVMs only, as with {@code jps}. This JVM is left out.
 */
public final class LocalJvms {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> OPTIONS_WITH_ARGUMENT =
      Set.of(
          "-cp",
          "-classpath",
          "--class-path",
          "-p",
          "--module-path",
          "--upgrade-module-path",
          "--add-modules",
          "--limit-modules",
          "--add-reads",
          "--add-exports",
          "--add-opens",
          "--patch-module",
          "--enable-native-access");

  private static final int GROUP_OR_OTHERS_WRITE = 0022;
  private static final int STICKY = 01000;

  private LocalJvms() {}

  /**
   * The local JVMs, by pid; asks each one's agent for its status (1 s at most). A JVM started with
   * the agent whose control socket is not open yet is waited for (10 s at most).
   */
  public static List<LocalJvm> list() {
    long self = ProcessHandle.current().pid();
    List<LocalJvm> out = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path entry : proc) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
          continue;
        }
        LocalJvm jvm = describe(Long.parseLong(name));
        if (jvm != null) {
          out.add(jvm);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingLong(LocalJvm::pid));
    return out;
  }

  /** JVM {@code pid}, or null if it is gone, not a JVM, or another user's this user cannot see. */
  public static LocalJvm describe(long pid) {
    return describe(pid, SOCKET_TIMEOUT);
  }

  /**
   * As {@link #describe(long)}, waiting at most {@code socketTimeout} for the control socket of a
   * JVM started with the agent.
   */
  static LocalJvm describe(long pid, Duration socketTimeout) {
    try {
      if (!ProcFs.mapsJvm(pid)) {
        return null;
      }
      JvmProcess process = JvmProcess.of(pid);
      List<String> commandLine = ProcFs.commandLine(pid);
      return new LocalJvm(
          process,
          mainClass(commandLine),
          commandLine,
          javaVersion(process),
          presence(process, socketTimeout));
    } catch (IOException | ClientException | RuntimeException goneOrHidden) {
      return null;
    }
  }

  /** The main class, {@code -jar} file or {@code module/class} a java command line runs. */
  static String mainClass(List<String> words) {
    int at = mainIndex(words);
    return at < 0 ? "" : words.get(at);
  }

  /** Where the main class (or jar, or module) is among the words; -1 if nowhere. */
  static int mainIndex(List<String> words) {
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("-jar") || word.equals("-m") || word.equals("--module")) {
        return i + 1 < words.size() ? i + 1 : -1;
      }
      if (OPTIONS_WITH_ARGUMENT.contains(word)) {
        i++;
      } else if (!word.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The jars the JVM options among the words load as agents ({@code -javaagent:JAR[=OPTIONS]}), as
   * they name them; the program's own arguments after the main class are left out.
   */
  static List<String> javaagentJars(List<String> words) {
    int main = mainIndex(words);
    List<String> jars = new ArrayList<>();
    for (int i = 1; i < (main < 0 ? words.size() : main); i++) {
      String word = words.get(i);
      if (OPTIONS_WITH_ARGUMENT.contains(word)) {
        i++;
      } else if (word.startsWith("-javaagent:")) {
        String jar = word.substring("-javaagent:".length());
        int options = jar.indexOf('=');
        jars.add(options < 0 ? jar : jar.substring(0, options));
      }
    }
    return jars;
  }

  /**
   * The JDK's version from its {@code release} file, beside the directory of the process's {@code
   * java}; null when unknown. The file is read only when nobody but this user and root can replace
   * it ({@link #onlyRootOrThisUserCanReplace}): the JDK may be the JVM's user's own copy, where
   * that user could put a FIFO at {@code release}, whose opening would never return (it held root's
   * {@code jsplice ps} and the daemon's discovery of every JVM on the host), or a link to a file of
   * root's.
   */
  private static String javaVersion(JvmProcess process) {
    try {
      Path java = ProcFs.executable(process.pid());
      Path release = java.getParent().getParent().resolve("release");
      Path top = Path.of("/proc", Long.toString(process.pid()), "root");
      Path relative = Path.of(release.toString().substring(1));
      if (!onlyRootOrThisUserCanReplace(top, relative)) {
        return null;
      }
      Path reachable = top.resolve(relative);
      byte[] bytes;
      try (InputStream in = Files.newInputStream(reachable)) {
        bytes = in.readNBytes(16 * 1024);
      }
      for (String line : new String(bytes, StandardCharsets.UTF_8).lines().toList()) {
        if (line.startsWith("JAVA_VERSION=")) {
          return line.substring("JAVA_VERSION=".length()).replace("\"", "").strip();
        }
      }
    } catch (IOException | RuntimeException unknown) {
      // A JDK without a release file, or one this user cannot read.
    }
    return null;
  }

  /**
   * Whether {@code top/relative} is a regular file that nobody but this process's user and root can
   * replace: {@code top} (followed: it may be {@code /proc/PID/root}) and each directory below it
   * on the way, taken as they are (a link is refused, not followed), belong to this user or root
   * and are not writable by group or others (a sticky directory of root's, such as {@code /tmp},
   * aside), and so does the file, which is not writable by group or others.
   */
  static boolean onlyRootOrThisUserCanReplace(Path top, Path relative) {
    long self = ProcFs.selfUid();
    try {
      if (!safeDirectory(top, self)) {
        return false;
      }
      Path at = top;
      for (int i = 0; i < relative.getNameCount(); i++) {
        at = at.resolve(relative.getName(i));
        boolean last = i == relative.getNameCount() - 1;
        PosixFileAttributes attributes =
            Files.readAttributes(at, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long owner =
            ((Number) Files.getAttribute(at, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        int mode =
            ((Number) Files.getAttribute(at, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        if (owner != self && owner != 0) {
          return false;
        }
        if (last) {
          return attributes.isRegularFile() && (mode & GROUP_OR_OTHERS_WRITE) == 0;
        }
        if (!attributes.isDirectory()
            || ((mode & GROUP_OR_OTHERS_WRITE) != 0 && !(owner == 0 && (mode & STICKY) != 0))) {
          return false;
        }
      }
      return false; // no file named
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /** {@code dir}, followed, is a directory of this user or root that others cannot write. */
  private static boolean safeDirectory(Path dir, long self) throws IOException {
    long owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
    int mode = ((Number) Files.getAttribute(dir, "unix:mode")).intValue();
    return (owner == self || owner == 0)
        && Files.isDirectory(dir)
        && ((mode & GROUP_OR_OTHERS_WRITE) == 0 || (owner == 0 && (mode & STICKY) != 0));
  }

  private static AgentPresence presence(JvmProcess process, Duration socketTimeout) {
    Path socket;
    try {
      // A JVM started with the agent whose channel is not open yet is waited for.
      ControlSocketSearch.Found found = ControlSocketSearch.locate(process, socketTimeout);
      if (found.absentBecause() != null) {
        return AgentPresence.NOT_ANSWERING;
      }
      socket = found.socket();
    } catch (UntrustedAgentException e) {
      return AgentPresence.NOT_ANSWERING;
    } catch (ClientException e) {
      return process.reachableByThisUser() ? AgentPresence.NOT_ANSWERING : AgentPresence.UNKNOWN;
    }
    if (socket == null) {
      return AgentPresence.ABSENT;
    }
    try {
      new AgentClient(process, socket, PROBE_TIMEOUT).status();
      return AgentPresence.PRESENT;
    } catch (ClientException e) {
      return AgentPresence.NOT_ANSWERING;
    }
  }
}
