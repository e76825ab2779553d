package io.jsplice.fleet.server.store;

import io.jsplice.fleet.server.ApiException;
import java.util.regex.Pattern;

/** The names hosts and groups may have: safe in a URL, a log line and a file name. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private Names() {}

  /**
   * @throws ApiException {@code BAD_REQUEST} naming {@code what} when {@code name} is not valid
   */
  public static String check(String what, String name, int max) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest(what + " is missing");
    }
    if (name.length() > max || !NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          what
              + " \""
              + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
              + "\" is not valid: use up to "
              + max
              + " letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
