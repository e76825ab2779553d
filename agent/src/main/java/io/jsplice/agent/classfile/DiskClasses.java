package io.jsplice.agent.classfile;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Reads class files as they are on disk now, from {@link CodeLocation}s: what a restarted JVM would
 * load. Multi-release jars, nested or not, give the version this JVM's release selects, as the
 * JVM's own loaders do.
 *
 * <p>Jars are opened afresh by path, never through the application's class loaders, whose open
 * {@link JarFile}s still read a jar that was replaced (they hold the old file). One caveat of the
 * JDK's zip cache: a jar overwritten in place (same inode) with its modification time preserved is
 * read as the JVM first read it.
 *
 * <p>One instance per use (a verification, or one {@link #classFileOf}); it keeps jars open and
 * nested jars in memory until {@link #close}. Not thread-safe.
 */
public final class DiskClasses implements Closeable {
  private final int release = Runtime.version().feature();
  private final Map<Path, JarFile> jars = new HashMap<>();
  private final Map<String, NestedJar> nested = new HashMap<>();

  /**
   * The class file a loaded class came from, read again from its code source (a jar, a class
   * directory, a jar or directory nested in a jar). Compared with the bytes the JVM hands a
   * transformer, it tells a class another agent instrumented apart from a class of another release.
   *
   * @param internalName e.g. {@code org/example/Foo}
   * @return the class file, or null when the code source is unknown, not one {@link CodeLocation}
   *     understands, unreadable, or holds no such class
   */
  public static byte[] classFileOf(ProtectionDomain domain, String internalName) {
    CodeSource source = domain == null ? null : domain.getCodeSource();
    URL url = source == null ? null : source.getLocation();
    CodeLocation location = url == null ? null : CodeLocation.parse(url.toString());
    if (location == null) {
      return null;
    }
    try (DiskClasses disk = new DiskClasses()) {
      return disk.classFile(location, internalName);
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** Whether the location's file (or outer jar, or nested entry) exists now. */
  public boolean exists(CodeLocation location) throws IOException {
    if (!Files.exists(location.file())) {
      return false;
    }
    return switch (location.kind()) {
      case JAR, DIRECTORY -> true;
      case NESTED_JAR -> jar(location.file()).getJarEntry(location.entry()) != null;
      case DIRECTORY_IN_JAR -> true; // a directory in a jar need not have an entry of its own
    };
  }

  /**
   * The class file of {@code internalName} at {@code location} now; null if there is none.
   *
   * @throws IOException if the location cannot be read (gone, damaged, not a jar)
   */
  public byte[] classFile(CodeLocation location, String internalName) throws IOException {
    return resource(location, internalName + ".class");
  }

  /**
   * Where the classes of a jar that is gone from disk are now, as a restart that takes every jar of
   * its directory finds them (a {@code lib/*} class path, Spring Boot's {@code BOOT-INF/lib}): the
   * first jar beside it, in name order, that holds {@code internalName}. Null if there is none, or
   * if the location is not a jar. An explicit class path naming the gone jar would not find it.
   */
  public CodeLocation replacement(CodeLocation gone, String internalName) {
    List<CodeLocation> candidates = new ArrayList<>();
    try {
      if (gone.kind() == CodeLocation.Kind.JAR && Files.isDirectory(gone.file().getParent())) {
        try (Stream<Path> files = Files.list(gone.file().getParent())) {
          files
              .filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
              .sorted()
              .forEach(f -> candidates.add(new CodeLocation(CodeLocation.Kind.JAR, f, null)));
        }
      } else if (gone.kind() == CodeLocation.Kind.NESTED_JAR && Files.isRegularFile(gone.file())) {
        String directory = gone.entry().substring(0, gone.entry().lastIndexOf('/') + 1);
        jar(gone.file()).stream()
            .map(JarEntry::getName)
            .filter(n -> n.startsWith(directory) && n.endsWith(".jar"))
            .filter(n -> n.indexOf('/', directory.length()) < 0)
            .sorted()
            .forEach(
                n ->
                    candidates.add(new CodeLocation(CodeLocation.Kind.NESTED_JAR, gone.file(), n)));
      }
      for (CodeLocation candidate : candidates) {
        if (classFile(candidate, internalName) != null) {
          return candidate;
        }
      }
    } catch (IOException unreadable) {
      return null;
    }
    return null;
  }

  /**
   * The version in {@code META-INF/maven/GROUP/ARTIFACT/pom.properties} at {@code location}, as
   * Maven builds write it into every jar; null if there is none.
   */
  public String mavenVersion(CodeLocation location, String groupId, String artifactId) {
    try {
      byte[] bytes =
          resource(location, "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
      if (bytes == null) {
        return null;
      }
      Properties properties = new Properties();
      properties.load(new ByteArrayInputStream(bytes));
      return properties.getProperty("version");
    } catch (IOException | IllegalArgumentException unreadable) {
      return null;
    }
  }

  /**
   * The entries of the jar at {@code location} (plain or nested) whose names {@code wanted}
   * accepts, by name in name order; empty for a directory.
   *
   * @throws IOException if the jar cannot be read
   */
  public Map<String, byte[]> entries(CodeLocation location, Predicate<String> wanted)
      throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    switch (location.kind()) {
      case JAR -> {
        JarFile jar = jar(location.file());
        for (JarEntry entry : Collections.list(jar.entries())) {
          if (!entry.isDirectory() && wanted.test(entry.getName())) {
            out.put(entry.getName(), read(jar, entry));
          }
        }
      }
      case NESTED_JAR ->
          nestedJar(location)
              .entries()
              .forEach(
                  (name, bytes) -> {
                    if (wanted.test(name)) {
                      out.put(name, bytes);
                    }
                  });
      case DIRECTORY, DIRECTORY_IN_JAR -> {
        // Not a jar: the application's own classes, no library coordinates.
      }
    }
    return out;
  }

  private byte[] resource(CodeLocation location, String name) throws IOException {
    switch (location.kind()) {
      case DIRECTORY -> {
        try {
          return Files.readAllBytes(location.file().resolve(name));
        } catch (NoSuchFileException absent) {
          if (!Files.isDirectory(location.file())) {
            throw new NoSuchFileException(location.file().toString());
          }
          return null;
        }
      }
      case JAR -> {
        JarFile jar = jar(location.file());
        JarEntry entry = jar.getJarEntry(name);
        return entry == null ? null : read(jar, entry);
      }
      case DIRECTORY_IN_JAR -> {
        JarFile jar = jar(location.file());
        JarEntry entry = jar.getJarEntry(location.entry() + "/" + name);
        return entry == null ? null : read(jar, entry);
      }
      case NESTED_JAR -> {
        return nestedJar(location).entry(name, release);
      }
    }
    throw new IllegalStateException(location.kind().toString());
  }

  private JarFile jar(Path file) throws IOException {
    JarFile jar = jars.get(file);
    if (jar == null) {
      jar = new JarFile(file.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
      jars.put(file, jar);
    }
    return jar;
  }

  private NestedJar nestedJar(CodeLocation location) throws IOException {
    String key = location.describe();
    NestedJar jar = nested.get(key);
    if (jar == null) {
      JarFile outer = jar(location.file());
      JarEntry entry = outer.getJarEntry(location.entry());
      if (entry == null) {
        throw new NoSuchFileException(key, null, "no such entry in " + location.file());
      }
      jar = NestedJar.read(read(outer, entry));
      nested.put(key, jar);
    }
    return jar;
  }

  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    for (JarFile jar : jars.values()) {
      try {
        jar.close();
      } catch (IOException ignored) {
        // read-only; nothing is lost
      }
    }
    jars.clear();
    nested.clear();
  }

  /** A jar inside a jar, read into memory: its entries by name, and whether it is multi-release. */
  private record NestedJar(Map<String, byte[]> entries, boolean multiRelease) {
    static NestedJar read(byte[] bytes) throws IOException {
      Map<String, byte[]> entries = new HashMap<>();
      boolean multiRelease = false;
      try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes), false)) {
        Manifest manifest = in.getManifest();
        if (manifest != null) {
          // JarInputStream hands the manifest over apart from the entries; keep it as one.
          java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
          manifest.write(written);
          entries.put("META-INF/MANIFEST.MF", written.toByteArray());
          multiRelease =
              "true"
                  .equalsIgnoreCase(
                      manifest.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
        }
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          if (!e.isDirectory()) {
            entries.put(e.getName(), in.readAllBytes());
          }
        }
      }
      return new NestedJar(entries, multiRelease);
    }

    /** The entry as a JVM of {@code release} sees it: the highest versioned one up to it. */
    byte[] entry(String name, int release) {
      if (multiRelease) {
        for (int version = release; version >= 9; version--) {
          byte[] versioned = entries.get("META-INF/versions/" + version + "/" + name);
          if (versioned != null) {
            return versioned;
          }
        }
      }
      return entries.get(name);
    }
  }
}
