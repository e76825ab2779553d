package io.jsplice.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything the CLI prints goes through this writer, which keeps a terminal from interpreting text
 * jsplice did not write itself: an update's id or description, a class name, a message from the
 * target JVM. Control characters other than newline and tab (escape sequences start with {@code
 * ESC} or the C1 control {@code CSI}), {@code DEL}, and invisible or direction-changing format
 * characters are written as {@code \\uXXXX}; printable text passes unchanged.
 *
 * <p>The escaped form is a valid JSON string escape, so {@code --json} output stays valid JSON (the
 * JSON writer escapes C0 controls itself; this catches the rest). The CLI prints no escape
 * sequences of its own: picocli's colours are off.
 */
public final class TerminalSafeWriter extends FilterWriter {
  public TerminalSafeWriter(Writer out) {
    super(out);
  }

  /** {@code text} as this writer would print it. */
  public static String sanitize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      append(out, text.charAt(i));
    }
    return out.toString();
  }

  static boolean unsafe(char c) {
    return (c < 0x20 && c != '\n' && c != '\t')
        || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u200b' && c <= '\u200f')
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u061c'
        || c == '\ufeff';
  }

  private static void append(StringBuilder out, char c) {
    if (unsafe(c)) {
      out.append(String.format("\\u%04x", (int) c));
    } else {
      out.append(c);
    }
  }

  @Override
  public void write(int c) throws IOException {
    if (unsafe((char) c)) {
      out.write(sanitize(String.valueOf((char) c)));
    } else {
      out.write(c);
    }
  }

  @Override
  public void write(char[] buffer, int offset, int length) throws IOException {
    write(new String(buffer, offset, length), 0, length);
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    String part = text.substring(offset, offset + length);
    for (int i = 0; i < part.length(); i++) {
      if (unsafe(part.charAt(i))) {
        out.write(sanitize(part));
        return;
      }
    }
    out.write(part);
  }
}
