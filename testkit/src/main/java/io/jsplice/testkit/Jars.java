package io.jsplice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes class files (keyed by internal name) into jars and class directories, and builds jars in
 * memory.
 */
public final class Jars {
  private Jars() {}

  public static Path write(Path jar, Map<String, byte[]> classes) throws IOException {
    return write(jar, classes, Map.of());
  }

  /** Writes a jar; {@code mainAttributes} go into the manifest (e.g. Main-Class). */
  public static Path write(
      Path jar, Map<String, byte[]> classes, Map<String, String> mainAttributes)
      throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    classes.forEach((name, bytes) -> entries.put(name + ".class", bytes));
    Files.createDirectories(jar.toAbsolutePath().getParent());
    return Files.write(jar, bytes(entries, mainAttributes));
  }

  /**
   * A jar's bytes: {@code entries} keyed by their full entry name (nested jars, resources, class
   * files), {@code mainAttributes} in the manifest (e.g. Multi-Release, Implementation-Title).
   */
  public static byte[] bytes(Map<String, byte[]> entries, Map<String, String> mainAttributes)
      throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mainAttributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(entry.getKey()));
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    }
    return out.toByteArray();
  }

  public static Path writeDirectory(Path dir, Map<String, byte[]> classes) throws IOException {
    for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
      Path file = dir.resolve(entry.getKey() + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    return dir;
  }
}
