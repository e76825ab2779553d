package io.jsplice.create.live;

/**
 * Names of companion classes and their members. A companion holds what an update adds to a class
 * the JVM has already loaded: it is a normal class in the same package and class loader, named
 * after its host and the update, so that two updates never collide and a stack trace says where the
 * code came from.
 */
final class Companions {
  private Companions() {}

  /**
   * {@code org/example/Foo} and update {@code CVE-2022-42889} give {@code
   * org/example/Foo$$jsplice$CVE_2022_42889}.
   */
  static String companionName(String host, String updateId) {
    return host + "$$jsplice$" + updateId.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The non-dispatching entry of a moved instance method, for {@code super} calls. */
  static String directName(String method) {
    return method + "$direct";
  }

  /** A copy of a dispatch host's own body, for the {@code super} calls of its overrides. */
  static String superName(String method) {
    return method + "$super";
  }

  static String getterName(String field) {
    return field + "$get";
  }

  static String setterName(String field) {
    return field + "$set";
  }

  static String shadowName(String field) {
    return field + "$shadow";
  }

  static String initializerName(String field) {
    return field + "$init";
  }

  /** The companion method that asks the host's carrier for added constructor {@code index}. */
  static String constructorRequestName(int index) {
    return "request$" + index;
  }
}
