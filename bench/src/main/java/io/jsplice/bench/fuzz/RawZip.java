package io.jsplice.bench.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A zip file written field by field, so that the fuzzer can declare sizes and CRCs that are not the
 * truth and put in compressed data it made itself.
 */
final class RawZip {
  /** Writes an entry's compressed data. */
  interface Data {
    void writeTo(OutputStream out) throws IOException;
  }

  private record Entry(
      String name, int method, long crc, long compressedSize, long size, Data data) {}

  private final List<Entry> entries = new ArrayList<>();

  /** The entries of {@code zip}, each stored, in order. */
  static RawZip storedCopyOf(byte[] zip) throws IOException {
    RawZip out = new RawZip();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        out.stored(e.getName(), bytes);
      }
    }
    return out;
  }

  RawZip stored(String name, byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entries.add(
        new Entry(name, 0, crc.getValue(), bytes.length, bytes.length, out -> out.write(bytes)));
    return this;
  }

  /** A deflated entry whose compressed data and declared fields are given as they are. */
  RawZip deflated(String name, long crc, long compressedSize, long declaredSize, Data data) {
    entries.add(new Entry(name, 8, crc, compressedSize, declaredSize, data));
    return this;
  }

  byte[] toByteArray() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTo(out);
    return out.toByteArray();
  }

  void writeTo(OutputStream out) throws IOException {
    long offset = 0;
    ByteArrayOutputStream directory = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      ByteBuffer local = little(30 + name.length);
      local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800);
      local.putShort((short) e.method()).putShort((short) 0).putShort((short) 0x21);
      local.putInt((int) e.crc()).putInt((int) e.compressedSize()).putInt((int) e.size());
      local.putShort((short) name.length).putShort((short) 0).put(name);
      out.write(local.array());
      e.data().writeTo(out);
      ByteBuffer central = little(46 + name.length);
      central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20);
      central.putShort((short) 0x0800).putShort((short) e.method());
      central.putShort((short) 0).putShort((short) 0x21);
      central.putInt((int) e.crc()).putInt((int) e.compressedSize()).putInt((int) e.size());
      central.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
      central.putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name);
      directory.write(central.array());
      offset += 30 + name.length + e.compressedSize();
    }
    byte[] cd = directory.toByteArray();
    out.write(cd);
    ByteBuffer end = little(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    end.putShort((short) entries.size()).putShort((short) entries.size());
    end.putInt(cd.length).putInt((int) offset).putShort((short) 0);
    out.write(end.array());
  }

  private static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
