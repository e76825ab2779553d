package io.jsplice.bench.sweep;

import io.jsplice.model.ClassUpdate;
import io.jsplice.model.UpdatePackage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Has this JVM verify every class an update defines or redefines, against the real classes of the
 * release it patches: the installed classes, then the release and its dependencies, are defined in
 * a class loader of their own and each installed class is linked (which runs HotSpot's verifier on
 * it and on what its verification needs). A class the JVM refuses is a defect of jsplice; one that
 * cannot be linked because an optional dependency of the library is absent is only unverifiable.
 * Every member its code refers to is then resolved as the JVM will when the code runs ({@link
 * ReferenceResolution}), which linking does not do.
 */
final class UpdateVerification {
  private UpdateVerification() {}

  /**
   * @param failed classes the JVM refuses (ClassFormatError, VerifyError...), with the error
   * @param unverifiable classes that need a class neither the update nor the class path has
   */
  record Result(int verified, Map<String, String> failed, Map<String, String> unverifiable) {}

  static Result verify(UpdatePackage update, List<Path> classpath) throws IOException {
    Map<String, byte[]> installed = new HashMap<>();
    for (ClassUpdate c : update.update().classes()) {
      update.installBytes(c.name()).ifPresent(b -> installed.put(c.name(), b));
    }
    List<URL> urls = new ArrayList<>();
    for (Path p : classpath) {
      urls.add(p.toUri().toURL());
    }
    Map<String, String> failed = new HashMap<>();
    Map<String, String> unverifiable = new HashMap<>();
    int verified = 0;
    try (URLClassLoader files = new URLClassLoader(urls.toArray(URL[]::new), null)) {
      ClassLoader loader = new Installed(installed, files);
      for (String name : installed.keySet()) {
        try {
          Class<?> c = Class.forName(name, false, loader);
          c.getDeclaredMethods(); // links, so verifies
          c.getDeclaredConstructors();
          String unresolved = ReferenceResolution.firstFailure(c, installed.get(name));
          if (unresolved != null) {
            failed.put(name, unresolved);
            continue;
          }
          verified++;
        } catch (NoClassDefFoundError | TypeNotPresentException | ClassNotFoundException missing) {
          unverifiable.put(name, String.valueOf(missing));
        } catch (LinkageError | RuntimeException refused) {
          failed.put(name, refused.toString());
        }
      }
    }
    return new Result(verified, failed, unverifiable);
  }

  /** Installed classes first, then those of the jars, defined here; the rest from the parent. */
  private static final class Installed extends ClassLoader {
    private final Map<String, byte[]> installed;
    private final URLClassLoader files;

    /**
     * The parent is the JDK's platform loader: a class neither the update nor the release's class
     * path has must be missing here as it is in the target JVM. With this JVM's own class path as
     * parent, code calling an API the library's class path lacks was checked against whatever
     * version the sweep itself runs with (spring-web 7.0.5 and the servlet API: a NoSuchMethodError
     * reported against the bench's servlet API, which the target never had).
     */
    Installed(Map<String, byte[]> installed, URLClassLoader files) {
      super(ClassLoader.getPlatformClassLoader());
      this.installed = installed;
      this.files = files;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c != null) {
          return c;
        }
        byte[] bytes = installed.get(name);
        if (bytes == null
            && !name.startsWith("java.")
            && !name.startsWith("io.jsplice.bootstrap.")) {
          URL url = files.findResource(name.replace('.', '/') + ".class");
          if (url != null) {
            try (InputStream in = url.openStream()) {
              bytes = in.readAllBytes();
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
        }
        if (bytes != null) {
          return defineClass(name, bytes, 0, bytes.length);
        }
        if (name.startsWith("io.jsplice.bootstrap.")) {
          // The agent's bootstrap classes, which the target JVM has on its system class path.
          return UpdateVerification.class.getClassLoader().loadClass(name);
        }
        return super.loadClass(name, resolve);
      }
    }
  }
}
