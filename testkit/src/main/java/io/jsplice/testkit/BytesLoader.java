package io.jsplice.testkit;

import java.util.Map;

/**
 * Defines the given classes itself, from their bytes, and takes everything else (the JDK, {@code
 * io.jsplice.bootstrap}) from its parent: one isolated copy of a library version, or of what
 * jsplice installs for it, in the running JVM.
 */
public final class BytesLoader extends ClassLoader {
  private final Map<String, byte[]> classes;

  /**
   * @param classes class file bytes by binary name ({@code a.b.C})
   * @param parent where every other class comes from
   */
  public BytesLoader(Map<String, byte[]> classes, ClassLoader parent) {
    super(parent);
    this.classes = Map.copyOf(classes);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null && classes.containsKey(name)) {
        byte[] b = classes.get(name);
        c = defineClass(name, b, 0, b.length);
      }
      return c != null ? c : super.loadClass(name, resolve);
    }
  }
}
