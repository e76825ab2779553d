package io.jsplice.bench.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A HotSpot JVM's performance counters, as {@code jstat} reads them: the file {@code
 * TMPDIR/hsperfdata_USER/PID} the JVM maps its counters to (unless started with {@code
 * -XX:-UsePerfData}), read once from outside the JVM, so that reading it costs the JVM nothing.
 *
 * <p>The layout is HotSpot's {@code PerfDataPrologue} (magic {@code CAFEC0C0}, byte order, the
 * offset and number of entries) followed by {@code PerfDataEntry}s (length, name offset, vector
 * length, type, flags, units, variability, data offset, then the name and the data). Only scalar
 * {@code long} counters ({@code 'J'}) are read.
 */
final class PerfCounters {
  /** How many methods the JIT compilers compiled, as {@code jstat -compiler}'s "Compiled". */
  static final String COMPILES = "sun.ci.totalCompiles";

  private PerfCounters() {}

  /** The counters file of JVM {@code pid} run by this user, in the default temporary directory. */
  static Path fileOf(long pid) {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "hsperfdata_" + System.getProperty("user.name"),
        Long.toString(pid));
  }

  /**
   * The scalar {@code long} counters of {@code file}, by name; empty if it cannot be read or is not
   * a counters file.
   */
  static Map<String, Long> read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /** As {@link #read}, of the file's bytes; throws for bytes that are not a counters file. */
  static Map<String, Long> parse(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt(0) != 0xCAFEC0C0) {
      throw new IllegalArgumentException("not a HotSpot counters file (magic)");
    }
    buffer.order(bytes[4] == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int offset = buffer.getInt(24);
    int entries = buffer.getInt(28);
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      int length = buffer.getInt(offset);
      int nameOffset = buffer.getInt(offset + 4);
      int vectorLength = buffer.getInt(offset + 8);
      byte type = buffer.get(offset + 12);
      int dataOffset = buffer.getInt(offset + 16);
      if (length <= 0) {
        break;
      }
      if (vectorLength == 0 && type == 'J') {
        int start = offset + nameOffset;
        int end = start;
        while (end < offset + length && bytes[end] != 0) {
          end++;
        }
        String name = new String(bytes, start, end - start, StandardCharsets.US_ASCII);
        out.put(name, buffer.getLong(offset + dataOffset));
      }
      offset += length;
    }
    return out;
  }
}
