package io.jsplice.agent.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * The class file a loaded class came from, read again from its code source (a jar or a class
 * directory on the local file system). Compared with the bytes the JVM hands a transformer, it
 * tells a class another agent instrumented apart from a class of another release.
 */
final class ClassFileOnDisk {
  private ClassFileOnDisk() {}

  /**
   * @param internalName e.g. {@code org/example/Foo}
   * @return the class file, or null when the code source is unknown, not a local jar or directory,
   *     or holds no such class
   */
  static byte[] read(ProtectionDomain domain, String internalName) {
    CodeSource source = domain == null ? null : domain.getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return null;
    }
    try {
      Path path = Path.of(location.toURI());
      String entry = internalName + ".class";
      if (Files.isDirectory(path)) {
        Path file = path.resolve(entry);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      }
      try (JarFile jar = new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
        JarEntry found = jar.getJarEntry(entry);
        if (found == null) {
          return null;
        }
        try (InputStream in = jar.getInputStream(found)) {
          return in.readAllBytes();
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException unreadable) {
      return null;
    }
  }
}
