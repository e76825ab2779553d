package io.jsplice.agent.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The agent jar as this JVM opened it, to tell when it was overwritten in place afterwards.
 *
 * <p>The runtime's classes are read from the open jar as they are first needed ({@link
 * RuntimeLoader}), and the JVM reads {@code io.jsplice.bootstrap} from it the same way. A jar
 * replaced by renaming a new file over it (a new inode) leaves the open one intact, and so does one
 * deleted; a jar written into ({@code cp new.jar jsplice-agent.jar}, an archive unpacked over the
 * old one) changes the bytes under the offsets the JVM read when it opened it, and what is read
 * from it later is another release's or garbage. That is what this tells: the same file (device and
 * inode), with another size or modification time. Once seen, it stays so.
 *
 * <p>What it costs: one {@code stat} of the jar at start (whose attribute classes the JVM loaded
 * already to open the jar) and one per check. Thread-safe.
 */
final class AgentJarIdentity {
  private final Path path;
  private final Object fileKey;
  private final long size;
  private final FileTime modified;
  private volatile String changed;

  private AgentJarIdentity(Path path, BasicFileAttributes attributes) {
    this.path = path;
    this.fileKey = attributes.fileKey();
    this.size = attributes.size();
    this.modified = attributes.lastModifiedTime();
  }

  /** The jar at {@code path} as it is now: read this before opening it. */
  static AgentJarIdentity of(Path path) throws IOException {
    return new AgentJarIdentity(path, Files.readAttributes(path, BasicFileAttributes.class));
  }

  Path path() {
    return path;
  }

  /**
   * Null while the jar this JVM opened is intact; otherwise one line naming it and saying what to
   * do.
   */
  String overwrittenInPlace() {
    String known = changed;
    if (known != null) {
      return known;
    }
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException gone) {
      return null; // deleted or renamed away: the file this JVM holds open is unchanged
    }
    if (fileKey != null && !fileKey.equals(now.fileKey())) {
      return null; // another file at the path (renamed over it): the one held open is unchanged
    }
    if (now.size() == size && now.lastModifiedTime().equals(modified)) {
      return null;
    }
    changed =
        "the jsplice agent jar "
            + path
            + " was overwritten in place after JVM "
            + ProcessHandle.current().pid()
            + " loaded it ("
            + size
            + " bytes modified "
            + modified
            + ", now "
            + now.size()
            + " bytes modified "
            + now.lastModifiedTime()
            + "), so the agent in it refuses every operation rather than run code read from"
            + " another file: restart the JVM to use jsplice in it, and install agent jars by"
            + " renaming a new file over the old one, never by writing into it";
    return changed;
  }
}
