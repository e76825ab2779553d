package io.jsplice.create.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One side of an update as the operator names it on the command line: jars, class directories and
 * Maven coordinates {@code group:artifact:version} (resolved from the local repository and Maven
 * Central), in any mix. Several are given by repeating the option, or in one value separated by
 * commas (or, for files, by the path separator).
 *
 * <p>A value is read as coordinates before it is split at the path separator: {@code
 * org.eclipse.jetty:jetty-server:9.4.43.v20210629} is one artifact, not three files.
 */
public final class ReleaseSpec {
  private static final Pattern COORDINATES =
      Pattern.compile("[^:/\\\\\\s,]+:[^:/\\\\\\s,]+:[^:/\\\\\\s,]+(:[^:/\\\\\\s,]+)?");

  private ReleaseSpec() {}

  /** Whether {@code spec} names Maven coordinates rather than files. */
  public static boolean isCoordinates(String spec) {
    return COORDINATES.matcher(spec).matches() && !Files.exists(Path.of(spec));
  }

  /**
   * The parts {@code specs} name, in order, without duplicates: each part is either Maven
   * coordinates ({@link MavenCoordinates}) or a file ({@link Path}), which need not exist.
   */
  public static List<Object> parts(List<String> specs) {
    Set<Object> out = new LinkedHashSet<>();
    for (String spec : specs) {
      for (String value : spec.split(",")) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (isCoordinates(trimmed)) {
          out.add(MavenCoordinates.parse(trimmed));
          continue;
        }
        for (String part : trimmed.split(java.io.File.pathSeparator)) {
          if (part.isBlank()) {
            continue;
          }
          out.add(isCoordinates(part) ? MavenCoordinates.parse(part) : Path.of(part));
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The Maven coordinates among {@code specs}, in order. */
  public static List<MavenCoordinates> coordinates(List<String> specs) {
    return parts(specs).stream()
        .filter(MavenCoordinates.class::isInstance)
        .map(MavenCoordinates.class::cast)
        .toList();
  }

  /**
   * Reads the classes {@code specs} name as one set. The artifacts of the set are those of the
   * coordinates given, and those the jars name in their Maven metadata.
   *
   * @throws IOException with a one-line message naming the input that could not be read
   */
  public static ClassSet read(List<String> specs, MavenArtifacts maven) throws IOException {
    List<Object> parts = parts(specs);
    if (parts.isEmpty()) {
      throw new IOException("no jar, class directory or Maven coordinates given");
    }
    List<Path> paths = new ArrayList<>();
    Set<ClassSet.ArtifactVersion> named = new LinkedHashSet<>();
    List<String> origins = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof MavenCoordinates coordinates) {
        paths.add(maven.resolve(coordinates));
        named.add(coordinates.artifactVersion());
        origins.add(coordinates.toString());
      } else {
        Path path = (Path) part;
        if (!Files.exists(path)) {
          throw new IOException(
              path
                  + " does not exist (expected a jar, a class directory or"
                  + " group:artifact:version)");
        }
        paths.add(path);
        origins.add(Files.isDirectory(path) ? path.toString() : String.valueOf(path.getFileName()));
      }
    }
    ClassSet read = ClassSetReader.read(paths);
    if (named.isEmpty()) {
      return read;
    }
    // Coordinates name their artifact even when its jar has no Maven metadata; a jar's metadata
    // for the same artifact is the same version.
    Set<ClassSet.ArtifactVersion> artifacts = new LinkedHashSet<>(named);
    for (ClassSet.ArtifactVersion a : read.artifacts()) {
      if (named.stream()
          .noneMatch(
              n ->
                  n.artifactId().equals(a.artifactId())
                      && java.util.Objects.equals(n.groupId(), a.groupId()))) {
        artifacts.add(a);
      }
    }
    return new ClassSet(String.join(", ", origins), read.classes(), List.copyOf(artifacts));
  }
}
