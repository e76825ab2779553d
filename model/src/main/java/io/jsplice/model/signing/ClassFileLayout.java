package io.jsplice.model.signing;

/**
 * The outline of a class file (JVMS §4.1): the constant pool's entries, the fields, the methods and
 * every attribute, walked by their declared lengths without interpreting them. A well-formed class
 * file ends exactly where its outline does; one cut short, or with bytes after its end, does not,
 * and the JVM rejects it with a {@link ClassFormatError} (JVMS §4.8). ASM reads lazily what its
 * visitors ask for, so a class cut inside a part no visitor reads would otherwise pass.
 */
final class ClassFileLayout {
  private ClassFileLayout() {}

  /**
   * The offset at which the class file's outline ends.
   *
   * @throws IllegalArgumentException if the outline runs past the bytes or names an unknown
   *     constant pool tag
   */
  static int end(byte[] bytes) {
    Cursor in = new Cursor(bytes, 8);
    int constants = in.u2();
    for (int i = 1; i < constants; i++) {
      int tag = in.u1();
      switch (tag) {
        case 1 -> in.skip(in.u2()); // Utf8
        case 3, 4 -> in.skip(4); // Integer, Float
        case 5, 6 -> { // Long, Double take two entries
          in.skip(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skip(2); // Class, String, MethodType, Module, Package
        case 9, 10, 11, 12, 17, 18 -> in.skip(4); // refs, NameAndType, Dynamic, InvokeDynamic
        case 15 -> in.skip(3); // MethodHandle
        default ->
            throw new IllegalArgumentException(
                "constant pool entry " + i + " has the unknown tag " + tag);
      }
    }
    in.skip(6); // access_flags, this_class, super_class
    in.skip(2 * in.u2()); // interfaces
    for (int members = 0; members < 2; members++) { // fields, then methods
      int count = in.u2();
      for (int m = 0; m < count; m++) {
        in.skip(6); // access_flags, name_index, descriptor_index
        attributes(in);
      }
    }
    attributes(in);
    return in.offset;
  }

  private static void attributes(Cursor in) {
    int count = in.u2();
    for (int a = 0; a < count; a++) {
      in.skip(2); // attribute_name_index
      long length = in.u4();
      if (length > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("an attribute is " + length + " bytes long");
      }
      in.skip((int) length);
    }
  }

  /** A reading position that never passes the end of the bytes. */
  private static final class Cursor {
    private final byte[] bytes;
    private int offset;

    Cursor(byte[] bytes, int offset) {
      this.bytes = bytes;
      this.offset = offset;
    }

    void skip(int n) {
      if (n < 0 || n > bytes.length - offset) {
        throw new IllegalArgumentException(
            "the class file ends at byte " + bytes.length + ", before its structure does");
      }
      offset += n;
    }

    int u1() {
      skip(1);
      return bytes[offset - 1] & 0xff;
    }

    int u2() {
      skip(2);
      return (bytes[offset - 2] & 0xff) << 8 | (bytes[offset - 1] & 0xff);
    }

    long u4() {
      skip(4);
      return ((long) u(offset - 4) << 24)
          | (u(offset - 3) << 16)
          | (u(offset - 2) << 8)
          | u(offset - 1);
    }

    private int u(int at) {
      return bytes[at] & 0xff;
    }
  }
}
