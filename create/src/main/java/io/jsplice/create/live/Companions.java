package io.jsplice.create.live;

import java.util.Collection;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

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

  /**
   * The name a static method added to {@code host} has in its companion: its own, unless an
   * instance method of the same name added with it takes the host first there, so that its
   * dispatcher has exactly the static one's descriptor (bcprov 1.81 adds both {@code static
   * Extensions.getExtensionValue(Extensions, ASN1ObjectIdentifier)} and {@code
   * getExtensionValue(ASN1ObjectIdentifier)}).
   */
  static String staticMethodName(
      String host, MethodNode added, Collection<MethodNode> addedWithIt) {
    for (MethodNode other : addedWithIt) {
      if ((other.access & Opcodes.ACC_STATIC) == 0
          && other.name.equals(added.name)
          && CompanionBuilder.withReceiver(host, other.desc).equals(added.desc)) {
        return added.name + "$static";
      }
    }
    return added.name;
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
