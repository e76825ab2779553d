package io.jsplice.model;

/**
 * Text from an update put into a message (exception messages travel to the agent's log and over the
 * control channel, not only to the CLI's terminal-safe output): control characters (escape
 * sequences among them) and other invisible or direction-changing characters are shown as {@code
 * \\uXXXX}.
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
