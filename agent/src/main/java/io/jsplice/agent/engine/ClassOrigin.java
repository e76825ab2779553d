package io.jsplice.agent.engine;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;

/**
 * Where a class comes from, in words an operator recognizes: its class loader by name and type, and
 * the jar or directory it was loaded from. Never an identity hash code.
 */
final class ClassOrigin {
  private ClassOrigin() {}

  static String describe(ClassLoader loader, ProtectionDomain domain) {
    String where = location(domain);
    return loaderName(loader) + (where == null ? "" : ", from " + where);
  }

  static String describe(Class<?> type) {
    return describe(type.getClassLoader(), type.getProtectionDomain());
  }

  static String loaderName(ClassLoader loader) {
    if (loader == null) {
      return "boot loader";
    }
    if (loader == ClassLoader.getSystemClassLoader()) {
      return "application class loader";
    }
    if (loader == ClassLoader.getPlatformClassLoader()) {
      return "platform class loader";
    }
    String name = loader.getName();
    return loader.getClass().getName() + (name == null ? "" : " \"" + name + "\"");
  }

  /** The jar or directory of the class; may return null. */
  static String location(ProtectionDomain domain) {
    if (domain == null) {
      return null;
    }
    CodeSource source = domain.getCodeSource();
    URL url = source == null ? null : source.getLocation();
    return url == null ? null : url.toString();
  }
}
