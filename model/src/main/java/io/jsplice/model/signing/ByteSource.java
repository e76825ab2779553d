package io.jsplice.model.signing;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of an update file, read at positions as they are needed, never all at once: a file is
 * read through its channel, a message's bytes from memory. Not thread-safe.
 */
abstract class ByteSource implements Closeable {
  /** How messages name the update: its path, or "the update" for bytes. */
  abstract String name();

  abstract long size();

  /** Reads {@code length} bytes at {@code position}, or fails with EOFException. */
  abstract void read(long position, byte[] into, int offset, int length) throws IOException;

  final byte[] read(long position, int length) throws IOException {
    byte[] out = new byte[length];
    read(position, out, 0, length);
    return out;
  }

  static ByteSource of(byte[] bytes, String name) {
    return new ByteSource() {
      @Override
      String name() {
        return name;
      }

      @Override
      long size() {
        return bytes.length;
      }

      @Override
      void read(long position, byte[] into, int offset, int length) throws EOFException {
        if (position < 0 || position + length > bytes.length) {
          throw new EOFException("read past the end at " + position);
        }
        System.arraycopy(bytes, (int) position, into, offset, length);
      }

      @Override
      public void close() {}
    };
  }

  static ByteSource of(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    long size = channel.size();
    return new ByteSource() {
      @Override
      String name() {
        return file.toString();
      }

      @Override
      long size() {
        return size;
      }

      @Override
      void read(long position, byte[] into, int offset, int length) throws IOException {
        if (position < 0 || position + length > size) {
          throw new EOFException("read past the end at " + position);
        }
        ByteBuffer buffer = ByteBuffer.wrap(into, offset, length);
        long at = position;
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, at);
          if (n < 0) {
            throw new EOFException(file + " became shorter while it was read");
          }
          at += n;
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
