package io.jsplice.agent.classfile;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a class's code is on disk, parsed from the URL of its code source (or of one of its
 * resources): a jar, a class directory, a jar nested in a jar, or a directory inside a jar.
 *
 * <p>Understood forms:
 *
 * <pre>
 * file:/app/lib/x.jar                             a jar
 * file:/app/classes/                              a class directory
 * jar:file:/app/lib/x.jar!/                       a jar
 * jar:file:/app.jar!/BOOT-INF/lib/x.jar!/         a nested jar (Spring Boot 2, war loaders)
 * jar:file:/app.jar!/BOOT-INF/classes!/           a directory in a jar
 * jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/       a nested jar (Spring Boot 3.2 and later)
 * jar:nested:/app.jar/!BOOT-INF/classes/!/        a directory in a jar (Spring Boot 3.2 and later)
 * </pre>
 *
 * Anything else ({@code jrt:}, {@code http:}, loaders that define classes from memory) is not
 * something jsplice can read back from disk: {@link #parse} returns null.
 *
 * @param kind which of the forms
 * @param file the jar, the directory, or for nested kinds the outer jar; absolute
 * @param entry for nested kinds, the inner jar's or directory's path inside the outer jar, without
 *     a trailing slash; null otherwise
 */
public record CodeLocation(Kind kind, Path file, String entry) {
  /** Which of the forms a location has. */
  public enum Kind {
    JAR("jar"),
    DIRECTORY("directory"),
    NESTED_JAR("nested jar"),
    DIRECTORY_IN_JAR("directory in a jar");

    /** How a report names the kind. */
    public final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  public CodeLocation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(file, "file");
    if ((kind == Kind.NESTED_JAR || kind == Kind.DIRECTORY_IN_JAR) != (entry != null)) {
      throw new IllegalArgumentException(kind + " with entry " + entry);
    }
  }

  /** The location a code source URL names; null if it is not one of the understood forms. */
  public static CodeLocation parse(String url) {
    if (url == null) {
      return null;
    }
    String s = url.startsWith("jar:") ? url.substring("jar:".length()) : url;
    try {
      if (s.startsWith("nested:")) {
        return nested(s.substring("nested:".length()));
      }
      if (s.startsWith("file:")) {
        return file(s, url.endsWith("/"));
      }
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    return null;
  }

  /**
   * The location of the code that {@code resourceUrl} (what a class loader's {@code getResource}
   * returned for {@code resourcePath}, e.g. {@code org/example/Foo.class}) comes from; null if not
   * understood.
   */
  public static CodeLocation ofResource(String resourceUrl, String resourcePath) {
    if (resourceUrl == null || !resourceUrl.endsWith(resourcePath)) {
      return null;
    }
    return parse(resourceUrl.substring(0, resourceUrl.length() - resourcePath.length()));
  }

  /**
   * How an operator recognizes it: {@code /app/lib/x.jar} or {@code /app.jar!/BOOT-INF/lib/x.jar}.
   */
  public String describe() {
    return entry == null ? file.toString() : file + "!/" + entry;
  }

  /** The file name of the jar or directory, nested or not. */
  public String name() {
    String path = entry != null ? entry : file.toString();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code file:...} and {@code jar:file:...} forms. */
  private static CodeLocation file(String s, boolean trailingSlash) {
    String[] parts = s.split("!/", -1);
    Path file = Path.of(URI.create(parts[0]));
    if (parts.length == 1) {
      return new CodeLocation(trailingSlash ? Kind.DIRECTORY : Kind.JAR, file, null);
    }
    if (parts.length == 2 && parts[1].isEmpty()) {
      return new CodeLocation(Kind.JAR, file, null);
    }
    if (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty())) {
      return inner(file, decode(parts[1]));
    }
    return null; // nested more than one level: no loader we know does that
  }

  /** Spring Boot 3.2's {@code nested:/outer.jar/!inner/entry[!/]} form. */
  private static CodeLocation nested(String s) {
    int separator = s.indexOf("/!");
    if (separator < 0) {
      return null;
    }
    Path outer = Path.of(decode(s.substring(0, separator)));
    String inner = s.substring(separator + 2);
    if (inner.endsWith("!/")) {
      inner = inner.substring(0, inner.length() - 2);
    }
    return inner.isEmpty() ? null : inner(outer, decode(inner));
  }

  private static CodeLocation inner(Path outer, String inner) {
    boolean directory = inner.endsWith("/");
    String entry = directory ? inner.substring(0, inner.length() - 1) : inner;
    String lower = entry.toLowerCase(Locale.ROOT);
    boolean jar = !directory && (lower.endsWith(".jar") || lower.endsWith(".zip"));
    return new CodeLocation(jar ? Kind.NESTED_JAR : Kind.DIRECTORY_IN_JAR, outer, entry);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
