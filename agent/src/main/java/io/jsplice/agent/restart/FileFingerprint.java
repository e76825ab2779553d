package io.jsplice.agent.restart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the file system says of a file without reading it: device, inode, size, and the times of its
 * last modification and of its last change (which no tool can set back). Any write to the file
 * changes the change time, a replacement the inode: two equal fingerprints taken at different times
 * mean the file was not written in between, except by an in-place rewrite of the same size within
 * one tick of the file system's clock (a few milliseconds on Linux). {@link ReapplyCache} uses it
 * to skip hashing a file it hashed at an earlier start, as git and make do; a file whose
 * fingerprint differs is hashed as before.
 *
 * <p>Of the file a reader reads: links are followed, so a link whose target is written, or which
 * comes to point at another file, has another fingerprint.
 */
final class FileFingerprint {
  private FileFingerprint() {}

  /**
   * The {@code unix} attributes a fingerprint is made of, as {@code Files.readAttributes} names.
   */
  static final String ATTRIBUTES = "dev,ino,size,lastModifiedTime,ctime";

  /** The file's fingerprint (no spaces), or null if the file system does not give one. */
  static String of(Path file) {
    try {
      return of(Files.readAttributes(file, "unix:" + ATTRIBUTES));
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  /**
   * The fingerprint of a file whose {@code unix} attributes (at least {@link #ATTRIBUTES}) are
   * {@code a}; null if they do not make one.
   */
  static String of(Map<String, Object> a) {
    try {
      return a.get("dev")
          + ":"
          + a.get("ino")
          + ":"
          + a.get("size")
          + ":"
          + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)
          + ":"
          + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
    } catch (Exception | LinkageError e) {
      return null;
    }
  }
}
