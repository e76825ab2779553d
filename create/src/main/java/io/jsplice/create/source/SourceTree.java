package io.jsplice.create.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A library's Java sources, read into memory: every {@code .java} file by its path relative to the
 * package root ({@code org/example/Foo.java}), so that a path names the package and the file.
 *
 * <p>The root is a {@code -sources.jar}, a source folder, or a project folder that has {@code
 * src/main/java} (which then is the root). {@code META-INF/} is skipped. Files are decoded as
 * UTF-8, falling back to ISO-8859-1 for files that are not valid UTF-8 (older libraries).
 *
 * <p>Immutable.
 */
final class SourceTree {
  private final String name;
  private final NavigableMap<String, String> texts;

  private SourceTree(String name, NavigableMap<String, String> texts) {
    this.name = name;
    this.texts = Collections.unmodifiableNavigableMap(texts);
  }

  static SourceTree read(Path sources) throws IOException {
    String name = sources.getFileName().toString();
    NavigableMap<String, String> texts = new TreeMap<>();
    if (Files.isDirectory(sources)) {
      Path root = sources;
      if (Files.isDirectory(sources.resolve("src/main/java"))) {
        root = sources.resolve("src/main/java");
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String path = root.relativize(file).toString().replace('\\', '/');
          texts.put(path, decode(Files.readAllBytes(file)));
        }
      }
    } else if (Files.isRegularFile(sources)) {
      try (ZipFile zip = new ZipFile(sources.toFile())) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          String path = entry.getName();
          if (!entry.isDirectory() && path.endsWith(".java") && !path.startsWith("META-INF/")) {
            try (InputStream in = zip.getInputStream(entry)) {
              texts.put(path, decode(in.readAllBytes()));
            }
          }
        }
      }
    } else {
      throw new java.nio.file.NoSuchFileException(sources.toString(), null, "no such sources");
    }
    return new SourceTree(name, texts);
  }

  /** For tests: sources given as text by path. */
  static SourceTree of(String name, Map<String, String> texts) {
    return new SourceTree(name, new TreeMap<>(texts));
  }

  /** The file or folder name, for messages and origins. */
  String name() {
    return name;
  }

  /** Every path, in order. */
  NavigableMap<String, String> texts() {
    return texts;
  }

  /** The file's text; null when there is no such file. */
  String text(String path) {
    return texts.get(path);
  }

  /**
   * The file a diff names, found by removing leading directories until what remains is a file of
   * this tree: {@code a/src/main/java/org/x/Foo.java} finds {@code org/x/Foo.java}. The fewest
   * removed wins, so a tree that has both {@code x/Foo.java} and {@code Foo.java} keeps them apart.
   *
   * @return the path in this tree, or null
   */
  String locate(String diffPath) {
    String[] parts = normalize(diffPath).split("/");
    for (int i = 0; i < parts.length; i++) {
      String candidate = String.join("/", java.util.Arrays.asList(parts).subList(i, parts.length));
      if (texts.containsKey(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Where a file the diff adds belongs: leading directories are removed until the remaining
   * directory is a package this tree has. A file added to a new package is not located.
   *
   * @return the path in this tree, or null
   */
  String locateNew(String diffPath) {
    String[] parts = normalize(diffPath).split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      String directory =
          String.join("/", java.util.Arrays.asList(parts).subList(i, parts.length - 1)) + "/";
      String next = texts.ceilingKey(directory);
      if (next != null && next.startsWith(directory)) {
        return directory + parts[parts.length - 1];
      }
    }
    return null;
  }

  /**
   * The internal name of the class a file is named for: {@code org/x/Foo.java} to {@code
   * org/x/Foo}.
   */
  static String primaryClass(String path) {
    return path.substring(0, path.length() - ".java".length());
  }

  private static String normalize(String diffPath) {
    String path = diffPath.replace('\\', '/');
    while (path.startsWith("/") || path.startsWith("./")) {
      path = path.substring(path.startsWith("/") ? 1 : 2);
    }
    return path;
  }

  /** UTF-8, or ISO-8859-1 when the bytes are not valid UTF-8. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
