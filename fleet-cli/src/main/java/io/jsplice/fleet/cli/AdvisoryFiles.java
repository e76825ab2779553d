package io.jsplice.fleet.cli;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** OSV advisories on disk: a JSON file, or every {@code .json} file under a directory. */
final class AdvisoryFiles {
  private AdvisoryFiles() {}

  static List<Path> list(Path path) throws FailureException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "no advisory file or directory at " + path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files
          .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST,
          "cannot list the advisories in " + path + ": " + e.getMessage(),
          e);
    }
  }
}
