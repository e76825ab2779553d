package io.jsplice.agent.launch;

import java.io.ByteArrayInputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Loads the agent runtime from the nested runtime jar, held in memory (no temporary file to clean
 * up or to be swapped by someone else).
 *
 * <p>Its parent is the platform class loader, so the application's classes (and its copies of
 * libraries we also use) are invisible to the runtime, and the runtime's classes are invisible to
 * the application, whose loaders never delegate here. The one exception is {@code
 * io.jsplice.bootstrap}: those classes come from the loader that loaded the launcher (the system
 * class loader, which holds the agent jar), so the runtime and patched application code share one
 * copy. Classes get the agent jar as their code source.
 *
 * <p>Resources are served from memory through {@code jsplice-runtime:} URLs. Thread-safe (parallel
 * capable; the entries never change).
 */
final class RuntimeLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final String BOOTSTRAP_PACKAGE = "io.jsplice.bootstrap.";

  private final Map<String, byte[]> entries;
  private final ProtectionDomain domain;
  private final ClassLoader bootstrapClasses;
  private final URLStreamHandler resources = new Resources();

  /**
   * @param runtimeJar the nested jar's bytes
   * @param agentJar the agent jar, the code source of every class loaded here
   * @throws IOException if {@code runtimeJar} is not a readable jar
   */
  RuntimeLoader(byte[] runtimeJar, URL agentJar) throws IOException {
    super("jsplice-runtime", ClassLoader.getPlatformClassLoader());
    this.bootstrapClasses = RuntimeLoader.class.getClassLoader();
    this.entries = read(runtimeJar);
    this.domain =
        new ProtectionDomain(new CodeSource(agentJar, (CodeSigner[]) null), null, this, null);
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
    byte[] bytes = entries.get(name.replace('.', '/') + ".class");
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  @Override
  protected URL findResource(String name) {
    if (!entries.containsKey(name)) {
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

  private static Map<String, byte[]> read(byte[] jar) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
        if (!entry.isDirectory()) {
          entries.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    return Map.copyOf(entries);
  }

  /** Opens {@code jsplice-runtime:/NAME} URLs onto the bytes held in memory. */
  private final class Resources extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      byte[] bytes = entries.get(url.getPath().substring(1));
      if (bytes == null) {
        throw new IOException("no " + url + " in the agent runtime");
      }
      return new URLConnection(url) {
        @Override
        public void connect() {}

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }
      };
    }
  }
}
