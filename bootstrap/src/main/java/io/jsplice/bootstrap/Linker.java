package io.jsplice.bootstrap;

/**
 * Where patched application code links to jsplice at run time: the bootstrap methods of the {@code
 * invokedynamic} call sites an update introduces will live here.
 *
 * <p>The agent appends its jar to the boot class path before anything loads this package, so every
 * class loader in the JVM, whatever its delegation, resolves this class to one copy. It depends on
 * {@code java.base} only.
 *
 * <p>A placeholder for now: the update engine fills it in.
 */
public final class Linker {
  private Linker() {}

  /** Does nothing. Lets tests check that application code links against the boot copy. */
  public static void touch() {}
}
