package io.jsplice.create.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One side of an update as the operator names it on the command line: a jar, a class directory,
 * several of them (repeated, or separated by the path separator), or Maven coordinates {@code
 * group:artifact:version} resolved from the local repository and Maven Central.
 */
public final class ReleaseSpec {
  private static final Pattern COORDINATES =
      Pattern.compile("[^:/\\\\\\s]+:[^:/\\\\\\s]+:[^:/\\\\\\s]+(:[^:/\\\\\\s]+)?");

  private ReleaseSpec() {}

  /** Whether {@code spec} names Maven coordinates rather than files. */
  public static boolean isCoordinates(String spec) {
    return COORDINATES.matcher(spec).matches() && !Files.exists(Path.of(spec));
  }

  /**
   * Reads the classes {@code specs} name.
   *
   * @throws IOException with a one-line message naming the input that could not be read
   */
  public static ClassSet read(List<String> specs, MavenArtifacts maven) throws IOException {
    if (specs.size() == 1 && isCoordinates(specs.get(0))) {
      MavenCoordinates coordinates = MavenCoordinates.parse(specs.get(0));
      Path jar = maven.resolve(coordinates);
      ClassSet read = ClassSetReader.read(jar);
      List<ClassSet.ArtifactVersion> artifacts =
          read.artifacts().isEmpty() ? List.of(coordinates.artifactVersion()) : read.artifacts();
      return new ClassSet(coordinates.toString(), read.classes(), artifacts);
    }
    List<Path> paths = new ArrayList<>();
    for (String spec : specs) {
      // Coordinates contain the path separator ':' themselves: a spec that is coordinates is one.
      for (String part :
          isCoordinates(spec) ? new String[] {spec} : spec.split(java.io.File.pathSeparator)) {
        if (part.isBlank()) {
          continue;
        }
        if (isCoordinates(part)) {
          paths.add(maven.resolve(MavenCoordinates.parse(part)));
        } else {
          Path path = Path.of(part);
          if (!Files.exists(path)) {
            throw new IOException(
                part
                    + " does not exist (expected a jar, a class directory or"
                    + " group:artifact:version)");
          }
          paths.add(path);
        }
      }
    }
    if (paths.isEmpty()) {
      throw new IOException("no jar, class directory or Maven coordinates given");
    }
    return paths.size() == 1 ? ClassSetReader.read(paths.get(0)) : ClassSetReader.read(paths);
  }
}
