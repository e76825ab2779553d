package io.jsplice.agent.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent runtime from the entries under {@value #PREFIX} in the agent jar, each when it is
 * first needed: a class {@code a.B} from {@code jsplice/runtime/a/B.classdata}, a resource {@code
 * r} from {@code jsplice/runtime/r}. An agent that has nothing to do defines a few dozen classes,
 * not the whole runtime, and never inflates the rest (no temporary file either, to clean up or to
 * be swapped by someone else).
 *
 * <p>Its parent is the platform class loader, so the application's classes (and its copies of
 * libraries we also use) are invisible to the runtime, and the runtime's classes are invisible to
 * the application, whose loaders never delegate here. The one exception is {@code
 * io.jsplice.bootstrap}: those classes come from the loader that loaded the launcher (the system
 * class loader, which holds the agent jar), so the runtime and patched application code share one
 * copy. Classes get the agent jar as their code source.
 *
 * <p>The runtime's entry reaches the launcher through this loader, without reflection ({@link
 * #accept}). Resources are served through {@code jsplice-runtime:} URLs. Thread-safe (parallel
 * capable; the jar stays open while the JVM runs).
 *
 * <p>Nothing is read from a jar that was overwritten in place since it was opened ({@link
 * AgentJarIdentity}): the offsets the JVM read when it opened it now point into another file, so
 * the class or resource is not found, and the exception names the jar and why.
 */
final class RuntimeLoader extends ClassLoader implements Consumer<Object> {
  static {
    registerAsParallelCapable();
  }

  /** Where the runtime's entries are in the agent jar. */
  static final String PREFIX = "jsplice/runtime/";

  /** What a class file's name ends with there instead of {@code .class}. */
  static final String CLASS_SUFFIX = ".classdata";

  private static final String BOOTSTRAP_PACKAGE = "io.jsplice.bootstrap.";

  private final JarFile jar;
  private final AgentJarIdentity identity;
  private final ProtectionDomain domain;
  private final ClassLoader bootstrapClasses;
  private final URLStreamHandler resources = new Resources();
  // Set once, by the runtime's entry class's static initializer; holds null until then.
  private final AtomicReference<Function<Object[], Consumer<String>>> runtimeEntry =
      new AtomicReference<>();

  /**
   * @param jar the agent jar, open; this loader reads from it for as long as the JVM runs
   * @param identity the jar as it was when it was opened
   * @param agentJar the agent jar's location, the code source of every class loaded here
   */
  RuntimeLoader(JarFile jar, AgentJarIdentity identity, URL agentJar) {
    super("jsplice-runtime", ClassLoader.getPlatformClassLoader());
    this.bootstrapClasses = RuntimeLoader.class.getClassLoader();
    this.jar = jar;
    this.identity = identity;
    this.domain =
        new ProtectionDomain(new CodeSource(agentJar, (CodeSigner[]) null), null, this, null);
  }

  /** Whether {@code jar} holds a runtime whose entry point is {@code className}. */
  static boolean holds(JarFile jar, String className) {
    return jar.getJarEntry(classEntry(className)) != null;
  }

  /**
   * Takes the runtime's entry, which its entry class's static initializer hands to the loader that
   * defined it: a {@code Function<Object[], Consumer<String>>} ({@link AgentLauncher#ENTRY_CLASS}).
   * Only the first, and only an object of a class this loader defined: the application's classes
   * never reach this loader, but nothing else may put itself in the runtime's place either.
   */
  @Override
  @SuppressWarnings("unchecked")
  public void accept(Object handedOver) {
    if (handedOver instanceof Function<?, ?> function
        && handedOver.getClass().getClassLoader() == this) {
      runtimeEntry.compareAndSet(null, (Function<Object[], Consumer<String>>) function);
    }
  }

  /** The runtime's entry ({@link #accept}); null until its entry class was initialized here. */
  Function<Object[], Consumer<String>> entry() {
    return runtimeEntry.get();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(BOOTSTRAP_PACKAGE)) {
      return Class.forName(name, false, bootstrapClasses);
    }
    return super.loadClass(name, resolve);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes;
    try {
      bytes = read(classEntry(name));
    } catch (IOException e) {
      throw new ClassNotFoundException(
          name + ": cannot read it from " + jar.getName() + ": " + e.getMessage(), e);
    }
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  @Override
  protected URL findResource(String name) {
    if (name.endsWith(".class") || jar.getJarEntry(PREFIX + name) == null) {
      return null;
    }
    try {
      return new URL("jsplice-runtime", null, -1, "/" + name, resources);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
  }

  private static String classEntry(String className) {
    return PREFIX + className.replace('.', '/') + CLASS_SUFFIX;
  }

  /**
   * The entry's bytes; null if there is no such entry.
   *
   * @throws IOException naming the jar when it was overwritten in place since it was opened
   */
  private byte[] read(String entryName) throws IOException {
    String changed = identity.overwrittenInPlace();
    if (changed != null) {
      throw new IOException(changed);
    }
    JarEntry entry = jar.getJarEntry(entryName);
    if (entry == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** Opens {@code jsplice-runtime:/NAME} URLs onto the agent jar's entry. */
  private final class Resources extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      String name = url.getPath().substring(1);
      byte[] bytes = read(PREFIX + name);
      if (bytes == null) {
        throw new IOException("no " + url + " in the agent runtime");
      }
      return new URLConnection(url) {
        @Override
        public void connect() {}

        @Override
        public InputStream getInputStream() {
          return new java.io.ByteArrayInputStream(bytes);
        }
      };
    }
  }
}
