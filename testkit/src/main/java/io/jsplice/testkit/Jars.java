package io.jsplice.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes class files (keyed by internal name) into jars and class directories. */
public final class Jars {
  private Jars() {}

  public static Path write(Path jar, Map<String, byte[]> classes) throws IOException {
    return write(jar, classes, Map.of());
  }

  /** Writes a jar; {@code mainAttributes} go into the manifest (e.g. Main-Class). */
  public static Path write(
      Path jar, Map<String, byte[]> classes, Map<String, String> mainAttributes)
      throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mainAttributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
        out.putNextEntry(new JarEntry(entry.getKey() + ".class"));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    return jar;
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
