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
 * themselves (by its owner and mode), so that a root daemon never reports on a file the JVM's user
 * cannot see; nothing read is executed or trusted, and only small entries are read.
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
    int nested = location.indexOf("!/");
    Path outer = Path.of(nested < 0 ? location : location.substring(0, nested));
    if (!readableBy(outer, uid)) {
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
   * Whether the user {@code uid} could read the regular file {@code file}: root always; its owner
   * by the owner's read bit; anyone else by the others' read bit (group membership is not looked
   * up, so a file readable only through a group is skipped).
   */
  static boolean readableBy(Path file, long uid) {
    try {
      PosixFileAttributes attributes =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        Path target = file.toRealPath();
        return readableBy(target, uid);
      }
      if (!attributes.isRegularFile()) {
        return false;
      }
      if (uid == 0) {
        return true;
      }
      long owner =
          ((Number) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
      Set<PosixFilePermission> permissions = attributes.permissions();
      return owner == uid
          ? permissions.contains(PosixFilePermission.OWNER_READ)
          : permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
