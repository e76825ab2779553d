package io.jsplice.model;

import java.util.regex.Pattern;

/** The rules for update ids: they appear on command lines, in file names and in JMX names. */
public final class UpdateIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private UpdateIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
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
