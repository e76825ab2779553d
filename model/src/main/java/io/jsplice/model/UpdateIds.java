package io.jsplice.model;

/** The rules for update ids: they appear on command lines, in file names and in JMX names. */
public final class UpdateIds {
  private UpdateIds() {}

  /**
   * Whether {@code id} is 1 to 128 of {@code [A-Za-z0-9._-]}, starting with a letter or digit.
   * Checked without a regular expression, whose classes an agent attached for an apply would
   * otherwise load into the JVM for this alone.
   */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alphanumeric =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  public static String check(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          "update id \""
              + Printable.of(id)
              + "\" is not valid: use 1-128 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return id;
  }
}
