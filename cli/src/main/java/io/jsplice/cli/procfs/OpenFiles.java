package io.jsplice.cli.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The regular files a process holds open, from {@code /proc/PID/fd}: readable for one's own
 * processes and by root, empty otherwise. A JVM keeps every jar of its class path that it has read
 * a class from open until it exits, so the file it reads classes from can be told apart from the
 * file now at the same path: a jar replaced by a new file (a copy, an unpack, a rename over it)
 * leaves the JVM reading the old one, which {@code /proc} still reaches.
 */
public final class OpenFiles {
  private static final String DELETED = " (deleted)";

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

    /** Whether this file's bytes and those of the file at {@code path} are the same. */
    public boolean sameContentAs(Path path) throws IOException {
      if (Files.size(handle) != Files.size(path)) {
        return false;
      }
      try (InputStream a = Files.newInputStream(handle);
          InputStream b = Files.newInputStream(path)) {
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
