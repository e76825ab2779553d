package io.jsplice.fleet.daemon.agents;

import io.jsplice.fleet.api.LoadedArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The Maven coordinates of a jar a JVM loaded classes from, read from its {@code
 * META-INF/maven/GROUP/ARTIFACT/pom.properties}; for a jar nested in another ({@code
 * app.jar!/BOOT-INF/lib/x.jar}), from the nested one.
 *
 * <p>The paths come from the JVM, so from its user: a file is read only if that user could read it
 * themselves (by the modes of the file and of every directory above it, with the JVM's groups), so
 * that a root daemon never reports on a file the JVM's user cannot see; nothing read is executed or
 * trusted, and only small entries are read. Between the check and the open, the user can still swap
 * the path (the check is by path; Java opens no file without following it to the end): what the
 * daemon then reads it only reports, never trusts.
 */
final class JarArtifacts {
  private static final int MAX_PROPERTIES = 64 * 1024;
  private static final int MAX_NESTED = 64 * 1024 * 1024;

  private JarArtifacts() {}

  /**
   * The artifacts of the jar at {@code location} ({@code /path/x.jar} or {@code
   * /path/app.jar!/BOOT-INF/lib/x.jar}), as the JVM run by {@code uid} could read it; empty for a
   * directory, a file without Maven metadata, or one that user cannot read.
   */
  static List<LoadedArtifact> of(String location, long uid) {
    return of(location, Reader.of(uid));
  }

  /** {@link #of(String, long)} for {@code reader}, its groups counted. */
  static List<LoadedArtifact> of(String location, Reader reader) {
    int nested = location.indexOf("!/");
    Path outer = Path.of(nested < 0 ? location : location.substring(0, nested));
    if (!readableBy(outer, reader)) {
      return List.of();
    }
    try (ZipFile zip = new ZipFile(outer.toFile())) {
      if (nested < 0) {
        return fromZip(zip, location);
      }
      String inner = location.substring(nested + 2);
      if (inner.endsWith("!/")) {
        inner = inner.substring(0, inner.length() - 2);
      }
      ZipEntry entry = zip.getEntry(inner);
      if (entry == null || entry.getSize() > MAX_NESTED) {
        return List.of();
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return fromStream(in, location);
      }
    } catch (IOException | RuntimeException notAJar) {
      return List.of();
    }
  }

  private static List<LoadedArtifact> fromZip(ZipFile zip, String source) throws IOException {
    List<LoadedArtifact> out = new ArrayList<>();
    for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
      if (isPomProperties(entry.getName()) && entry.getSize() <= MAX_PROPERTIES) {
        try (InputStream in = zip.getInputStream(entry)) {
          add(out, in.readNBytes(MAX_PROPERTIES), source);
        }
      }
    }
    return out;
  }

  private static List<LoadedArtifact> fromStream(InputStream jar, String source)
      throws IOException {
    List<LoadedArtifact> out = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(jar)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (isPomProperties(entry.getName())) {
          add(out, zip.readNBytes(MAX_PROPERTIES), source);
        }
      }
    }
    return out;
  }

  private static boolean isPomProperties(String name) {
    return name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties");
  }

  private static void add(List<LoadedArtifact> out, byte[] bytes, String source)
      throws IOException {
    Properties properties = new Properties();
    properties.load(new ByteArrayInputStream(bytes));
    String group = properties.getProperty("groupId");
    String artifact = properties.getProperty("artifactId");
    String version = properties.getProperty("version");
    if (artifact != null && !artifact.isBlank()) {
      out.add(
          new LoadedArtifact(
              blankToNull(group), artifact.strip(), blankToNull(version), null, source));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * Whether the user {@code uid}, in no group, could read the regular file {@code file}: {@link
   * #readableBy(Path, Reader)}.
   */
  static boolean readableBy(Path file, long uid) {
    return readableBy(file, Reader.of(uid));
  }

  /**
   * Whether {@code reader} could read the regular file {@code file}: root always; anyone else by
   * the file's mode (owner, group or others bits, as the kernel picks them) and only if it may
   * enter every directory above it, by the path given and, through a link, by the link's target.
   * Before the directories were checked, a jar left readable inside a directory the JVM's user
   * cannot enter was read by the root daemon all the same.
   */
  static boolean readableBy(Path file, Reader reader) {
    try {
      if (reader.uid() != 0 && !mayEnterAll(file.toAbsolutePath().normalize(), reader)) {
        return false;
      }
      PosixFileAttributes attributes =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        Path target = file.toRealPath();
        return readableBy(target, reader);
      }
      if (!attributes.isRegularFile()) {
        return false;
      }
      if (reader.uid() == 0) {
        return true;
      }
      return allows(
          file,
          attributes.permissions(),
          reader,
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Whether {@code reader} may search every directory above {@code path}. */
  private static boolean mayEnterAll(Path path, Reader reader) throws IOException {
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      if (!allows(
          dir,
          Files.getPosixFilePermissions(dir),
          reader,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The kernel's choice of bit: the owner's for the owner, else the group's for a member of the
   * file's group, else the others'.
   */
  private static boolean allows(
      Path path,
      Set<PosixFilePermission> mode,
      Reader reader,
      PosixFilePermission owner,
      PosixFilePermission group,
      PosixFilePermission others)
      throws IOException {
    long uid = ((Number) Files.getAttribute(path, "unix:uid")).longValue();
    if (uid == reader.uid()) {
      return mode.contains(owner);
    }
    long gid = ((Number) Files.getAttribute(path, "unix:gid")).longValue();
    return reader.gids().contains(gid) ? mode.contains(group) : mode.contains(others);
  }

  /**
   * Who reads: a JVM's user and its groups (its effective group and its supplementary groups).
   *
   * @param gids empty when unknown: then only the owner's and the others' bits count
   */
  record Reader(long uid, Set<Long> gids) {
    Reader {
      gids = Set.copyOf(gids);
    }

    static Reader of(long uid) {
      return new Reader(uid, Set.of());
    }

    /**
     * The user {@code uid} with the groups of process {@code pid} ({@code /proc/PID/status}); no
     * group when it cannot be read.
     */
    static Reader ofProcess(long pid, long uid) {
      Set<Long> gids = new java.util.HashSet<>();
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("Gid:")) {
            String[] ids = line.substring(4).strip().split("\\s+");
            if (ids.length > 1) {
              gids.add(Long.parseLong(ids[1])); // effective
            }
          } else if (line.startsWith("Groups:")) {
            for (String id : line.substring(7).strip().split("\\s+")) {
              if (!id.isEmpty()) {
                gids.add(Long.parseLong(id));
              }
            }
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        gids.clear();
      }
      return new Reader(uid, gids);
    }
  }
}
