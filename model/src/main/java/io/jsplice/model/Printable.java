package io.jsplice.model;

/**
 * Text from an update, a record or a request made safe to print on a terminal: control characters
 * (escape sequences among them) and other invisible or direction-changing characters are shown as
 * {@code \\uXXXX}, so that what an attacker wrote cannot rewrite the operator's screen.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every non-printable character escaped; "null" for null. */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (printable(c)) {
        if (out != null) {
          out.append(c);
        }
      } else {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }

  /** {@link #of}, but line breaks ({@code \n}) are kept: for text printed as several lines. */
  public static String lines(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      out.append(of(text.substring(start, nl))).append('\n');
      start = nl + 1;
    }
    return out.append(of(text.substring(start))).toString();
  }

  /**
   * A writer that escapes, as {@link #lines} does, everything written through it to {@code out}.
   */
  public static java.io.PrintWriter escaping(java.io.PrintWriter out) {
    return new java.io.PrintWriter(
        new java.io.Writer() {
          @Override
          public void write(char[] buffer, int offset, int length) {
            out.write(lines(new String(buffer, offset, length)));
          }

          @Override
          public void flush() {
            out.flush();
          }

          @Override
          public void close() {
            out.flush();
          }
        });
  }

  private static boolean printable(char c) {
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      return false;
    }
    switch (Character.getType(c)) {
      case Character.FORMAT,
          Character.CONTROL,
          Character.UNASSIGNED,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR -> {
        return false;
      }
      default -> {
        return true;
      }
    }
  }
}
