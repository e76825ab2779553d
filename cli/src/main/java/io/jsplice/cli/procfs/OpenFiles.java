package io.jsplice.cli.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The regular files a process holds open, from {@code /proc/PID/fd}: readable for one's own
 * processes and by root, empty otherwise. A JVM keeps every jar of its class path that it has read
 * a class from open until it exits, so the file it reads classes from can be told apart from the
 * file now at the same path: a jar replaced by a new file (a copy, an unpack, a rename over it)
 * leaves the JVM reading the old one, which {@code /proc} still reaches.
 */
public final class OpenFiles {
  private static final String DELETED = " (deleted)";

  /**
   * How long comparing one file may take: reading two jars of some hundred MB on a loaded machine
   * takes seconds, a FIFO or a hung mount for ever.
   */
  static final Duration READ_BOUND = Duration.ofSeconds(60);

  private final List<OpenFile> files;

  private OpenFiles(List<OpenFile> files) {
    this.files = List.copyOf(files);
  }

  /**
   * One open regular file.
   *
   * @param handle {@code /proc/PID/fd/N}: opening it opens the very file the process holds, even
   *     when no name reaches it any more
   * @param name the name it was opened by, as the kernel tracks it (without " (deleted)")
   * @param deleted whether that name no longer reaches it
   * @param device its device
   * @param inode its inode on that device
   */
  public record OpenFile(Path handle, String name, boolean deleted, long device, long inode) {
    /** Whether this is the file at {@code path} now (same device and inode). */
    public boolean isFileAt(Path path) throws IOException {
      FileId now = FileId.of(path);
      return device == now.device() && inode == now.inode();
    }

    /**
     * Whether this file's bytes and those of the file at {@code path} are the same. The file at
     * {@code path} is its user's, who may swap a FIFO or a hung mount in after any check: it is
     * compared only if it is a regular file, opened without following a final link, and read on a
     * thread of its own for at most {@link #READ_BOUND}; past that, or when what was opened is not
     * the regular file checked (another inode or size), it is unreadable ({@link IOException}) and
     * the thread is left to end when the file does.
     */
    public boolean sameContentAs(Path path) throws IOException {
      return sameContentAs(path, READ_BOUND);
    }

    boolean sameContentAs(Path path, Duration bound) throws IOException {
      Path file = path.toRealPath();
      BasicFileAttributes checked =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!checked.isRegularFile()) {
        throw new IOException(path + " is not a regular file");
      }
      if (Files.size(handle) != checked.size()) {
        return false;
      }
      return BoundedRead.within(bound, path, () -> sameContent(file, checked));
    }

    private boolean sameContent(Path file, BasicFileAttributes checked) throws IOException {
      try (SeekableByteChannel opened =
              Files.newByteChannel(
                  file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
          InputStream a = Files.newInputStream(handle)) {
        Object key =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        if (opened.size() != checked.size() || !Objects.equals(key, checked.fileKey())) {
          throw new IOException(file + " changed while it was opened");
        }
        InputStream b = Channels.newInputStream(opened);
        byte[] bufferA = new byte[64 * 1024];
        byte[] bufferB = new byte[64 * 1024];
        while (true) {
          int n = a.readNBytes(bufferA, 0, bufferA.length);
          int m = b.readNBytes(bufferB, 0, n);
          if (n != m || !Arrays.equals(bufferA, 0, n, bufferB, 0, m)) {
            return false;
          }
          if (n == 0) {
            return b.read() < 0;
          }
        }
      }
    }
  }

  /** The open regular files of {@code pid}; none when {@code /proc/PID/fd} cannot be read. */
  public static OpenFiles of(long pid) {
    return of(Path.of("/proc", Long.toString(pid), "fd"));
  }

  static OpenFiles of(Path fdDirectory) {
    List<OpenFile> out = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDirectory)) {
      for (Path fd : fds) {
        try {
          if (!Files.isRegularFile(fd)) {
            continue; // sockets, pipes, devices: never read, never compared
          }
          String name = Files.readSymbolicLink(fd).toString();
          boolean deleted = name.endsWith(DELETED);
          if (deleted) {
            name = name.substring(0, name.length() - DELETED.length());
          }
          FileId id = FileId.of(fd);
          out.add(new OpenFile(fd, name, deleted, id.device(), id.inode()));
        } catch (IOException | RuntimeException closedMeanwhile) {
          // the descriptor was closed while listing: nothing to say about it
        }
      }
    } catch (IOException | RuntimeException notReadable) {
      // gone, another user's process, or no /proc: no evidence from open files
    }
    return new OpenFiles(out);
  }

  /** Whether {@code /proc} told anything (false for another user's process without root). */
  public boolean known() {
    return !files.isEmpty();
  }

  /**
   * The open file that was opened as {@code path} (by its real path), if the process holds one: the
   * file still at that path if it holds that, else one no name reaches now or one another file
   * replaced.
   */
  public Optional<OpenFile> openedAs(Path path) {
    String wanted;
    try {
      wanted = path.toRealPath().toString();
    } catch (IOException gone) {
      wanted = path.toAbsolutePath().normalize().toString();
    }
    String absolute = path.toAbsolutePath().normalize().toString();
    OpenFile found = null;
    for (OpenFile file : files) {
      if (file.name().equals(wanted) || file.name().equals(absolute)) {
        try {
          if (file.isFileAt(path)) {
            return Optional.of(file);
          }
        } catch (IOException gone) {
          // nothing at the path now
        }
        found = file;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Which file a path reaches: its device and inode. */
  private record FileId(long device, long inode) {
    static FileId of(Path path) throws IOException {
      // The JDK's "unix" attribute view answers a name-to-value lookup; read once, typed here.
      Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino");
      return new FileId((Long) attributes.get("dev"), (Long) attributes.get("ino"));
    }
  }
}
