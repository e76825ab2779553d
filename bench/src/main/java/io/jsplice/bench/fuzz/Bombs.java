package io.jsplice.bench.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Deflate streams of zeros, made once: a run of non-final blocks that inflates to 1 GiB of zeros
 * (about 1 MB), which can be repeated, since each repetition only refers back to zeros, and ends
 * with an empty final block.
 */
final class Bombs {
  static final long GIB = 1L << 30;

  /** An empty final stored block: BFINAL=1, BTYPE=00, then LEN=0 and NLEN=0xFFFF. */
  private static final byte[] FINAL = {1, 0, 0, (byte) 0xff, (byte) 0xff};

  private final byte[] gibOfZeros;
  private final long crcOfGib;

  private Bombs() {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[1 << 20];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < 1024; i++) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    deflater.end();
    this.gibOfZeros = out.toByteArray();
    CRC32 crc = new CRC32();
    for (int i = 0; i < 1024; i++) {
      crc.update(zeros);
    }
    this.crcOfGib = crc.getValue();
  }

  private static Bombs instance;

  static synchronized Bombs get() {
    if (instance == null) {
      instance = new Bombs();
    }
    return instance;
  }

  /** Compressed size of {@code gib} GiB of zeros. */
  long compressedSize(int gib) {
    return (long) gibOfZeros.length * gib + FINAL.length;
  }

  /** CRC-32 of 1 GiB of zeros. */
  long crcOfOneGib() {
    return crcOfGib;
  }

  /** Writes the deflate stream of {@code gib} GiB of zeros. */
  void write(OutputStream out, int gib) throws IOException {
    for (int i = 0; i < gib; i++) {
      out.write(gibOfZeros);
    }
    out.write(FINAL);
  }

  /**
   * A zip file of {@code base}'s entries (stored) and a bomb of {@code gib} GiB, declared as 4 GiB
   * less one byte, in {@code file}; made once.
   */
  Path hugeFile(Path file, byte[] base, int gib) throws IOException {
    if (Files.exists(file)) {
      return file;
    }
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(partial))) {
      RawZip.storedCopyOf(base)
          .deflated(
              "jsplice/install/lib/Bomb.class",
              0,
              compressedSize(gib),
              0xFFFF_FFFEL,
              o -> write(o, gib))
          .writeTo(out);
    }
    return Files.move(partial, file);
  }
}
