package io.jsplice.model.signing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip file read strictly and within {@link UpdateLimits}: its central directory is parsed and
 * checked (entry count, declared sizes, names, no duplicates, no overlapping entries, each local
 * header agreeing with its directory record) before any entry is inflated, and inflation stops at
 * the declared size. What {@link java.util.zip.ZipFile} tolerates for compatibility (duplicate
 * names, entries sharing data, a directory that disagrees with the local headers) is refused here:
 * an update is one unambiguous set of files, so what is verified is what is applied.
 *
 * <p>ZIP64 and encrypted entries are refused; only stored and deflated entries are read. Not
 * thread-safe.
 */
final class ZipArchive {
  /** Extents {@code {start, end}} by their start. */
  private static final Comparator<long[]> BY_START =
      new Comparator<>() {
        @Override
        public int compare(long[] a, long[] b) {
          return Long.compare(a[0], b[0]);
        }
      };

  private static final int END_SIGNATURE = 0x06054b50;
  private static final int END_LENGTH = 22;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int CENTRAL_LENGTH = 46;
  private static final int LOCAL_SIGNATURE = 0x04034b50;
  private static final int LOCAL_LENGTH = 30;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  private static final int ENCRYPTED_FLAG = 1;
  private static final int MAX_NAME_LENGTH = 1024;
  private static final int CHUNK = 64 * 1024;

  /**
   * One entry, as its central directory record and local header describe it.
   *
   * @param dataOffset where its compressed bytes start
   */
  record Entry(
      String name, int method, long crc, long compressedSize, long size, long dataOffset) {}

  private final ByteSource source;
  private final UpdateLimits limits;
  private final Map<String, Entry> entries;
  private long inflatedSoFar;

  private ZipArchive(ByteSource source, UpdateLimits limits, Map<String, Entry> entries) {
    this.source = source;
    this.limits = limits;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /** Reads and checks the directory; inflates nothing. */
  static ZipArchive open(ByteSource source, UpdateLimits limits) throws IOException {
    if (source.size() > limits.maxFileBytes()) {
      throw ZipFormatException.overLimit(
          "it is "
              + source.size()
              + " bytes, more than the "
              + limits.maxFileBytes()
              + " an update may have");
    }
    try {
      return new ZipArchive(source, limits, readDirectory(source, limits));
    } catch (EOFException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
      throw ZipFormatException.damaged("truncated: " + e.getMessage());
    }
  }

  /** The entries, in the order of the central directory. */
  Map<String, Entry> entries() {
    return entries;
  }

  /**
   * The entry's bytes, inflated and checked against its CRC. Counts against the total limit; fails
   * when it would inflate to more than it declares or more than {@code max}.
   */
  byte[] read(Entry entry, long max) throws IOException {
    if (entry.size() > max) {
      throw ZipFormatException.overLimit(
          entry.name()
              + " is "
              + entry.size()
              + " bytes inflated, more than the "
              + max
              + " allowed");
    }
    if (inflatedSoFar + entry.size() > limits.maxTotalBytes()) {
      throw ZipFormatException.overLimit(
          "its entries inflate to more than the " + limits.maxTotalBytes() + " bytes allowed");
    }
    inflatedSoFar += entry.size();
    byte[] out =
        entry.method() == STORED
            ? source.read(entry.dataOffset(), (int) entry.size())
            : inflate(entry);
    CRC32 crc = new CRC32();
    crc.update(out);
    if (crc.getValue() != entry.crc()) {
      throw ZipFormatException.damaged(entry.name() + " is damaged (its CRC does not match)");
    }
    return out;
  }

  private byte[] inflate(Entry entry) throws IOException {
    byte[] out = new byte[(int) entry.size()];
    int produced = 0;
    long consumed = 0;
    Inflater inflater = new Inflater(true);
    try {
      // No more compressed bytes at a time than the declared size could need: an entry that
      // inflates to more than it declares is refused after reading little of it.
      long chunkSize = Math.min(Math.min(CHUNK, entry.size() + 1024), entry.compressedSize());
      byte[] chunk = new byte[(int) Math.max(1, chunkSize)];
      boolean paddingGiven = false;
      while (!inflater.finished()) {
        if (inflater.needsInput()) {
          if (consumed < entry.compressedSize()) {
            int n = (int) Math.min(chunk.length, entry.compressedSize() - consumed);
            source.read(entry.dataOffset() + consumed, chunk, 0, n);
            consumed += n;
            inflater.setInput(chunk, 0, n);
          } else if (!paddingGiven) {
            // zlib in raw mode may want one byte past the stream to see its end
            paddingGiven = true;
            inflater.setInput(new byte[1]);
          } else {
            throw ZipFormatException.damaged(entry.name() + " is truncated");
          }
        }
        if (produced == out.length) {
          // Room for one more byte tells a stream that is done from one that goes on.
          byte[] probe = new byte[1];
          if (inflater.inflate(probe) > 0) {
            throw ZipFormatException.damaged(
                entry.name() + " inflates to more than the " + entry.size() + " bytes it declares");
          }
          if (inflater.needsDictionary()) {
            throw ZipFormatException.damaged(entry.name() + " needs a preset dictionary");
          }
          continue;
        }
        produced += inflater.inflate(out, produced, out.length - produced);
        if (inflater.needsDictionary()) {
          throw ZipFormatException.damaged(entry.name() + " needs a preset dictionary");
        }
      }
    } catch (DataFormatException e) {
      throw ZipFormatException.damaged(entry.name() + " is damaged: " + e.getMessage());
    } finally {
      inflater.end();
    }
    if (produced != out.length) {
      throw ZipFormatException.damaged(
          entry.name()
              + " inflates to "
              + produced
              + " bytes, not the "
              + out.length
              + " it declares");
    }
    return out;
  }

  private static Map<String, Entry> readDirectory(ByteSource source, UpdateLimits limits)
      throws IOException {
    long size = source.size();
    if (size < END_LENGTH) {
      throw ZipFormatException.damaged("not a zip file (" + size + " bytes)");
    }
    // Most zip files have no comment: their end record is the last 22 bytes.
    int tailLength = END_LENGTH;
    long tailStart = size - tailLength;
    ByteBuffer tail = little(source.read(tailStart, tailLength));
    if (tail.getInt(0) != END_SIGNATURE || tail.getShort(20) != 0) {
      tailLength = (int) Math.min(size, END_LENGTH + 0xFFFF);
      tailStart = size - tailLength;
      tail = little(source.read(tailStart, tailLength));
    }
    int end = -1;
    for (int at = tailLength - END_LENGTH; at >= 0; at--) {
      if (tail.getInt(at) == END_SIGNATURE
          && at + END_LENGTH + Short.toUnsignedInt(tail.getShort(at + 20)) == tailLength) {
        end = at;
        break;
      }
    }
    if (end < 0) {
      throw ZipFormatException.damaged(
          "not a zip file, or truncated (no end of central directory)");
    }
    if (end >= 20 && tail.getInt(end - 20) == ZIP64_LOCATOR_SIGNATURE) {
      throw ZipFormatException.damaged("a ZIP64 file, which no update needs");
    }
    int disk = Short.toUnsignedInt(tail.getShort(end + 4));
    int directoryDisk = Short.toUnsignedInt(tail.getShort(end + 6));
    int onThisDisk = Short.toUnsignedInt(tail.getShort(end + 8));
    int count = Short.toUnsignedInt(tail.getShort(end + 10));
    long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
    long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
    long endOffset = tailStart + end;
    if (disk != 0 || directoryDisk != 0 || onThisDisk != count) {
      throw ZipFormatException.damaged("a multi-volume zip file");
    }
    if (count > limits.maxEntries()) {
      throw ZipFormatException.overLimit(
          "it has " + count + " entries, more than the " + limits.maxEntries() + " allowed");
    }
    if (directoryOffset + directorySize != endOffset) {
      throw ZipFormatException.damaged("its central directory is not where its end record says");
    }
    if (directorySize > (long) count * (CENTRAL_LENGTH + 3 * 0xFFFF)) {
      throw ZipFormatException.damaged("its central directory is larger than its entries");
    }
    ByteBuffer directory = little(source.read(directoryOffset, (int) directorySize));
    Map<String, Entry> out = new LinkedHashMap<>();
    List<long[]> extents = new ArrayList<>(); // {local header offset, data end}
    long declaredTotal = 0;
    for (int i = 0; i < count; i++) {
      int at = directory.position();
      if (directory.remaining() < CENTRAL_LENGTH || directory.getInt(at) != CENTRAL_SIGNATURE) {
        throw ZipFormatException.damaged("its central directory is damaged at entry " + i);
      }
      int flags = Short.toUnsignedInt(directory.getShort(at + 8));
      int method = Short.toUnsignedInt(directory.getShort(at + 10));
      long crc = Integer.toUnsignedLong(directory.getInt(at + 16));
      long compressed = Integer.toUnsignedLong(directory.getInt(at + 20));
      long inflated = Integer.toUnsignedLong(directory.getInt(at + 24));
      int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
      long localOffset = Integer.toUnsignedLong(directory.getInt(at + 42));
      if (directory.remaining() < CENTRAL_LENGTH + nameLength + extraLength + commentLength) {
        // a name, extra field or comment longer than what is left of the directory
        throw ZipFormatException.damaged("its central directory is damaged at entry " + i);
      }
      byte[] nameBytes = new byte[nameLength];
      directory.position(at + CENTRAL_LENGTH);
      directory.get(nameBytes);
      directory.position(directory.position() + extraLength + commentLength);
      String name = name(nameBytes);
      if ((flags & ENCRYPTED_FLAG) != 0) {
        throw ZipFormatException.damaged(name + " is encrypted");
      }
      if (method != STORED && method != DEFLATED) {
        throw ZipFormatException.damaged(name + " uses compression method " + method);
      }
      if (method == STORED && compressed != inflated) {
        throw ZipFormatException.damaged(name + " is stored but its two sizes differ");
      }
      if (inflated > limits.maxEntryBytes()) {
        throw ZipFormatException.overLimit(
            name
                + " declares "
                + inflated
                + " bytes inflated, more than the "
                + limits.maxEntryBytes()
                + " allowed for one entry");
      }
      declaredTotal += inflated;
      if (declaredTotal > limits.maxTotalBytes()) {
        throw ZipFormatException.overLimit(
            "its entries declare more than the " + limits.maxTotalBytes() + " bytes allowed");
      }
      if (out.containsKey(name)) {
        throw ZipFormatException.damaged("it holds " + name + " twice");
      }
      long dataOffset = localHeader(source, localOffset, nameBytes, method, name);
      long dataEnd = dataOffset + compressed;
      if (dataEnd > directoryOffset) {
        throw ZipFormatException.damaged(name + " runs into the central directory");
      }
      extents.add(new long[] {localOffset, dataEnd});
      out.put(name, new Entry(name, method, crc, compressed, inflated, dataOffset));
    }
    if (directory.hasRemaining()) {
      throw ZipFormatException.damaged("its central directory has bytes after its last entry");
    }
    // A comparator of its own, not a lambda: each lambda's class is spun at its first use, and a
    // cold apply reads the update in a JVM that has just loaded the agent (issue 13).
    extents.sort(BY_START);
    for (int i = 1; i < extents.size(); i++) {
      if (extents.get(i)[0] < extents.get(i - 1)[1]) {
        throw ZipFormatException.damaged("two of its entries overlap");
      }
    }
    return out;
  }

  /** Checks the local header against the directory record; returns where the data starts. */
  private static long localHeader(
      ByteSource source, long offset, byte[] nameBytes, int method, String name)
      throws IOException {
    if (offset + LOCAL_LENGTH > source.size()) {
      throw ZipFormatException.damaged(name + "'s local header is past the end");
    }
    ByteBuffer header = little(source.read(offset, LOCAL_LENGTH));
    if (header.getInt(0) != LOCAL_SIGNATURE) {
      throw ZipFormatException.damaged(name + "'s local header is missing");
    }
    int localMethod = Short.toUnsignedInt(header.getShort(8));
    int nameLength = Short.toUnsignedInt(header.getShort(26));
    int extraLength = Short.toUnsignedInt(header.getShort(28));
    if (localMethod != method
        || nameLength != nameBytes.length
        || !java.util.Arrays.equals(source.read(offset + LOCAL_LENGTH, nameLength), nameBytes)) {
      throw ZipFormatException.damaged(
          name + "'s local header disagrees with the central directory");
    }
    return offset + LOCAL_LENGTH + nameLength + extraLength;
  }

  /** A name as UTF-8, refused when it could mean another file or escape a directory. */
  private static String name(byte[] bytes) throws ZipFormatException {
    String name;
    try {
      name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw ZipFormatException.damaged("an entry's name is not UTF-8");
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw ZipFormatException.damaged("an entry's name is empty or too long");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw ZipFormatException.damaged("an entry's name holds a control character or backslash");
      }
    }
    if (name.startsWith("/")
        || name.contains("//")
        || ("/" + name + "/").contains("/../")
        || ("/" + name + "/").contains("/./")) {
      throw ZipFormatException.damaged("an entry's name is not a plain relative path: " + name);
    }
    return name;
  }

  private static ByteBuffer little(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
