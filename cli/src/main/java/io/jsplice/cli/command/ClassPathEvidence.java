package io.jsplice.cli.command;

import io.jsplice.cli.procfs.OpenFiles;
import io.jsplice.cli.procfs.ProcessStart;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What can be told about a JVM without its agent: whether the files on its class path were replaced
 * or changed after it started.
 *
 * <p>Two kinds of evidence, the sound one first. A JVM keeps open every class path jar it read a
 * class from ({@link OpenFiles}): when the file at the path is no longer the one it holds, and the
 * two differ in content, the jar was replaced underneath it, whatever the clocks say. Otherwise the
 * file's change time ({@code ctime}, which no copy or unpack preserves, unlike the modification
 * time) is compared with the JVM's start, which Linux knows only to about a second ({@link
 * ProcessStart}): a change inside that second counts as possibly after the start, never as before
 * it, so a change is never missed for being close to the start (it may be reported for a jar
 * written just before).
 *
 * <p>This is evidence, not a comparison of classes: it cannot tell which loaded classes differ,
 * misses jars loaded from elsewhere (a custom class loader, a plugin directory), and says nothing
 * about class directories, whose time stamps change with any file in them. A Spring Boot executable
 * jar is one file on the class path; a nested jar upgraded in it changes that file. Comparing class
 * content needs the agent ({@code --attach}).
 */
final class ClassPathEvidence {
  /**
   * How far a file's change time may lag the event: file systems stamp it from the kernel's coarse
   * clock, which is up to one timer tick (at most 10 ms) behind.
   */
  static final Duration STAMP_GRANULARITY = Duration.ofMillis(20);

  private ClassPathEvidence() {}

  /**
   * One file on the class path that changed after the JVM started, or may have.
   *
   * @param path the file
   * @param what what happened to it, in words
   * @param certain false when it may also have changed just before the start
   */
  record Change(String path, String what, boolean certain) {}

  /**
   * The class path entries: {@code java.class.path}, {@code jdk.module.path}, {@code loader.path},
   * relative ones resolved against the JVM's working directory ({@code user.dir}).
   */
  static List<Path> entries(Properties properties) {
    Set<Path> out = new LinkedHashSet<>();
    Path workingDirectory = workingDirectory(properties);
    for (String key : List.of("java.class.path", "jdk.module.path", "loader.path")) {
      String value = properties.getProperty(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (String entry : value.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          try {
            Path path = Path.of(entry.strip());
            out.add(workingDirectory == null ? path : workingDirectory.resolve(path).normalize());
          } catch (InvalidPathException ignored) {
            // not a file name; nothing to check
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static Path workingDirectory(Properties properties) {
    String dir = properties.getProperty("user.dir");
    try {
      return dir == null || dir.isBlank() ? null : Path.of(dir);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * The files among {@code entries} that are gone, replaced after the JVM opened them, or changed
   * after (or possibly after) {@code started}.
   *
   * @param open the JVM's open files; {@link OpenFiles#known()} false when they cannot be read
   */
  static List<Change> changes(List<Path> entries, ProcessStart started, OpenFiles open) {
    List<Change> out = new ArrayList<>();
    for (Path entry : entries) {
      if (!Files.exists(entry)) {
        out.add(new Change(entry.toString(), "gone from disk", true));
        continue;
      }
      if (!Files.isRegularFile(entry)) {
        continue; // a directory: its time stamps say nothing about the classes in it
      }
      Optional<OpenFiles.OpenFile> held = open.openedAs(entry);
      switch (held.map(file -> compare(entry, file)).orElse(Held.THE_FILE_AT_THE_PATH)) {
        case IDENTICAL_COPY -> {}
        case REPLACED ->
            out.add(
                new Change(
                    entry.toString(),
                    "replaced after the JVM opened it: the file it reads classes from is no longer"
                        + " this one and differs from it",
                    true));
        case THE_FILE_AT_THE_PATH -> changedAfter(entry, started).ifPresent(out::add);
      }
    }
    return out;
  }

  /** What the JVM holds open, compared with the file at the path it opened it by. */
  private enum Held {
    /** The file at the path (or it cannot be told): only its change time can tell more. */
    THE_FILE_AT_THE_PATH,
    /** Another file with the same bytes: a copy of the same jar put in its place. */
    IDENTICAL_COPY,
    /** Another file with other bytes. */
    REPLACED
  }

  private static Held compare(Path entry, OpenFiles.OpenFile held) {
    try {
      if (held.isFileAt(entry)) {
        return Held.THE_FILE_AT_THE_PATH;
      }
      return held.sameContentAs(entry) ? Held.IDENTICAL_COPY : Held.REPLACED;
    } catch (IOException unreadable) {
      return Held.THE_FILE_AT_THE_PATH;
    }
  }

  private static Optional<Change> changedAfter(Path entry, ProcessStart started) {
    Instant changed = latestChange(entry);
    if (changed == null) {
      return Optional.empty(); // no change time on this file system: no evidence either way
    }
    if (changed.isAfter(started.latest().plus(STAMP_GRANULARITY))) {
      return Optional.of(
          new Change(entry.toString(), "replaced or changed after the JVM started", true));
    }
    if (!changed.isBefore(started.earliest().minus(STAMP_GRANULARITY))) {
      return Optional.of(
          new Change(
              entry.toString(),
              "replaced or changed within "
                  + started.uncertainty().plus(STAMP_GRANULARITY.multipliedBy(2)).toMillis()
                  + " ms of the JVM's start, which Linux tells only to that precision: possibly"
                  + " after it",
              false));
    }
    return Optional.empty();
  }

  /** The later change time of the entry and, when it is a link, of the link itself. */
  private static Instant latestChange(Path entry) {
    Instant latest = null;
    for (LinkOption[] options :
        List.of(new LinkOption[0], new LinkOption[] {LinkOption.NOFOLLOW_LINKS})) {
      try {
        Instant time = ((FileTime) Files.getAttribute(entry, "unix:ctime", options)).toInstant();
        latest = latest == null || time.isAfter(latest) ? time : latest;
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        // no change time on this file system
      }
    }
    return latest;
  }
}
