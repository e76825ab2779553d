package io.jsplice.create.source;

import io.jsplice.create.source.ClassSet.ArtifactVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Reads a {@link ClassSet} from what a build produces: a jar, a directory of class files, or
 * several jars (and directories) that together form one version of an application's code.
 *
 * <p>Each class is keyed by the name in its bytes, not by where it sits, so classes under a prefix
 * such as {@code BOOT-INF/classes/} are read under their real names.
 *
 * <p>Left out:
 *
 * <ul>
 *   <li>{@code module-info} classes: they hold no code to patch;
 * </ul>
 *
 * <p>A multi-release jar is read as a JVM of this JDK's feature release loads it: for each class,
 * the variant under {@code META-INF/versions/N/} with the highest {@code N} up to this release
 * replaces the base class. A target JVM of a newer release that finds a higher variant runs other
 * code; run-pre matching then refuses the update for that class rather than patch it wrongly.
 *
 * <p>Maven coordinates come from {@code META-INF/maven/GROUP/ARTIFACT/pom.properties}; inputs
 * without one contribute no {@link ArtifactVersion}.
 *
 * <p>Errors name the file: a missing input fails with {@link NoSuchFileException}, a jar that is
 * not a zip with {@link ZipException}, an unparsable class with {@link InvalidClassFileException},
 * and a class held twice with {@link DuplicateClassException}.
 */
public final class ClassSetReader {
  private static final String VERSIONS = "META-INF/versions/";
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");

  private ClassSetReader() {}

  /** Reads one jar or class directory. */
  public static ClassSet read(Path jarOrDirectory) throws IOException {
    return read(List.of(jarOrDirectory));
  }

  /**
   * Reads several jars or class directories as one set.
   *
   * @throws DuplicateClassException when two inputs (or two entries of one input) hold a class of
   *     the same name
   */
  public static ClassSet read(List<Path> jarsOrDirectories) throws IOException {
    if (jarsOrDirectories.isEmpty()) {
      throw new IllegalArgumentException("no jar or class directory given");
    }
    Collector collector = new Collector();
    for (Path input : jarsOrDirectories) {
      if (Files.isDirectory(input)) {
        readDirectory(input, collector);
      } else if (Files.isRegularFile(input)) {
        readJar(input, collector);
      } else {
        throw new NoSuchFileException(input.toString(), null, "no such jar or class directory");
      }
    }
    String origin =
        jarsOrDirectories.stream()
            .map(p -> Files.isDirectory(p) ? p.toString() : String.valueOf(p.getFileName()))
            .collect(Collectors.joining(", "));
    return new ClassSet(origin, collector.classes, List.copyOf(collector.artifacts));
  }

  private static void readJar(Path jar, Collector collector) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(jar.toFile());
    } catch (ZipException notAZip) {
      throw new ZipException(jar + " is not a valid jar (" + notAZip.getMessage() + ")");
    }
    try (zip) {
      Map<String, ZipEntry> variants = new HashMap<>(); // class path -> chosen versioned entry
      Map<String, Integer> variantVersions = new HashMap<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String path = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        if (path.startsWith(VERSIONS)) {
          chooseVariant(entry, variants, variantVersions);
          continue;
        }
        if (path.endsWith(".class") || POM_PROPERTIES.matcher(path).matches()) {
          byte[] bytes;
          try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
          } catch (IOException damaged) {
            throw new ZipException(
                jar + " is damaged: " + path + " cannot be read (" + damaged.getMessage() + ")");
          }
          collector.add(new Source(jar.toString(), path), bytes);
        }
      }
      if (isMultiRelease(zip)) {
        for (ZipEntry variant : variants.values()) {
          try (InputStream in = zip.getInputStream(variant)) {
            collector.replace(in.readAllBytes());
          }
        }
      }
    }
  }

  /** Keeps, per class, the versioned entry a JVM of this feature release would load. */
  private static void chooseVariant(
      ZipEntry entry, Map<String, ZipEntry> variants, Map<String, Integer> versions) {
    String rest = entry.getName().substring(VERSIONS.length());
    int slash = rest.indexOf('/');
    if (slash < 0 || !rest.endsWith(".class") || rest.endsWith("module-info.class")) {
      return;
    }
    int version;
    try {
      version = Integer.parseInt(rest.substring(0, slash));
    } catch (NumberFormatException notAVersion) {
      return;
    }
    String path = rest.substring(slash + 1);
    if (version <= Runtime.version().feature() && version > versions.getOrDefault(path, 0)) {
      variants.put(path, entry);
      versions.put(path, version);
    }
  }

  private static boolean isMultiRelease(ZipFile zip) throws IOException {
    ZipEntry manifest = zip.getEntry("META-INF/MANIFEST.MF");
    if (manifest == null) {
      return false;
    }
    try (InputStream in = zip.getInputStream(manifest)) {
      return "true"
          .equalsIgnoreCase(
              new java.util.jar.Manifest(in).getMainAttributes().getValue("Multi-Release"));
    }
  }

  private static void readDirectory(Path directory, Collector collector) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String path =
          directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
      if (path.startsWith(VERSIONS)) {
        continue;
      }
      if (path.endsWith(".class") || POM_PROPERTIES.matcher(path).matches()) {
        collector.add(new Source(directory.toString(), path), Files.readAllBytes(file));
      }
    }
  }

  /** Where a class was found: a jar or directory, and the entry's path inside it. */
  private record Source(String container, String path) {
    /** The container alone, or with the entry when {@code other} is in the same container. */
    String describe(Source other) {
      return container.equals(other.container) ? container + "!/" + path : container;
    }
  }

  /** Accumulates classes and artifacts across inputs, rejecting duplicates. */
  private static final class Collector {
    final Map<String, byte[]> classes = new LinkedHashMap<>();
    final Map<String, Source> sources = new LinkedHashMap<>();
    final Set<ArtifactVersion> artifacts = new LinkedHashSet<>();

    void add(Source source, byte[] bytes) throws IOException {
      if (source.path.endsWith("pom.properties")) {
        addArtifact(bytes);
        return;
      }
      ClassReader reader;
      String name;
      try {
        reader = new ClassReader(bytes);
        name = reader.getClassName();
      } catch (RuntimeException malformed) {
        throw new InvalidClassFileException(source.container + "!/" + source.path, malformed);
      }
      if ((reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
        return;
      }
      Source earlier = sources.putIfAbsent(name, source);
      if (earlier != null) {
        throw new DuplicateClassException(name, earlier.describe(source), source.describe(earlier));
      }
      classes.put(name, bytes);
    }

    /** A multi-release variant takes the place of the class of the same name. */
    void replace(byte[] bytes) {
      classes.put(new ClassReader(bytes).getClassName(), bytes);
    }

    private void addArtifact(byte[] bytes) throws IOException {
      Properties pom = new Properties();
      pom.load(new ByteArrayInputStream(bytes));
      String artifactId = property(pom, "artifactId");
      if (artifactId != null) {
        artifacts.add(
            new ArtifactVersion(property(pom, "groupId"), artifactId, property(pom, "version")));
      }
    }

    /** May return null (missing or blank). */
    private static String property(Properties pom, String key) {
      String value = pom.getProperty(key);
      return value == null || value.isBlank() ? null : value.trim();
    }
  }
}
