package io.jsplice.model;

import java.util.Objects;

/**
 * An exploit tripwire an update carries: at this throw the fixed code rejects input the vulnerable
 * code accepted, and the update's code records the rejection (the bootstrap's {@code
 * Tripwires.hit}) just before it throws, so that a patched JVM reports the exploit attempt it
 * blocked. The call sits on the rejecting path only.
 *
 * <p>Its components, in their order, are its JSON form in an update's signed descriptor ({@link
 * UpdateJson}): renaming or reordering them changes the format.
 *
 * @param className binary name of the class, with slashes
 * @param method the method's {@code name+descriptor}
 * @param signature what the throw builds (the types created, constants and calls before it)
 */
public record Tripwire(String className, String method, String signature) {
  public Tripwire {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(method, "method");
    signature = signature == null ? "" : signature;
    if (method.indexOf('(') < 0) {
      throw new IllegalArgumentException("tripwire method has no descriptor: " + method);
    }
  }

  /** {@code class.method}, as tripwire events name the site. */
  public String site() {
    return className.replace('/', '.') + "." + method.substring(0, method.indexOf('('));
  }
}
