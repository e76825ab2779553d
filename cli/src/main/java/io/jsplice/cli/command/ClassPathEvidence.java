package io.jsplice.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What can be told about a JVM without its agent: whether the files on its class path were replaced
 * or changed after it started, by their change time ({@code ctime}, which no copy or unpack
 * preserves, unlike the modification time).
 *
 * <p>This is evidence, not a comparison: it cannot tell which loaded classes differ, misses jars
 * loaded from elsewhere (a custom class loader, a plugin directory), and says nothing about class
 * directories, whose time stamps change with any file in them. A Spring Boot executable jar is one
 * file on the class path; a nested jar upgraded in it changes that file. Comparing class content
 * needs the agent ({@code --attach}).
 */
final class ClassPathEvidence {
  /** Changes this close to the JVM's start are not counted: its start time is coarse. */
  static final Duration START_SLACK = Duration.ofSeconds(1);

  private ClassPathEvidence() {}

  /**
   * One file on the class path that changed after the JVM started.
   *
   * @param path the file
   * @param what what happened to it, in words
   */
  record Change(String path, String what) {}

  /**
   * The class path entries: {@code java.class.path}, {@code jdk.module.path}, {@code loader.path}.
   */
  static List<Path> entries(Properties properties) {
    Set<Path> out = new LinkedHashSet<>();
    for (String key : List.of("java.class.path", "jdk.module.path", "loader.path")) {
      String value = properties.getProperty(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (String entry : value.split(java.io.File.pathSeparator)) {
        if (!entry.isBlank()) {
          try {
            out.add(Path.of(entry.strip()));
          } catch (InvalidPathException ignored) {
            // not a file name; nothing to check
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The files among {@code entries} that are gone, or changed after {@code started}. */
  static List<Change> changes(List<Path> entries, Instant started) {
    List<Change> out = new ArrayList<>();
    Instant after = started.plus(START_SLACK);
    for (Path entry : entries) {
      if (!Files.exists(entry)) {
        out.add(new Change(entry.toString(), "gone from disk"));
        continue;
      }
      if (!Files.isRegularFile(entry)) {
        continue; // a directory: its time stamps say nothing about the classes in it
      }
      try {
        FileTime changed = (FileTime) Files.getAttribute(entry, "unix:ctime");
        if (changed.toInstant().isAfter(after)) {
          out.add(new Change(entry.toString(), "replaced or changed after the JVM started"));
        }
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        // no change time on this file system: no evidence either way
      }
    }
    return out;
  }
}
