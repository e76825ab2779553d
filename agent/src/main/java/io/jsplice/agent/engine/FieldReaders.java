package io.jsplice.agent.engine;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Whether code other than the field's own class may read a static field: the class files that its
 * class loader can load are looked through for a {@code getstatic} of it (or a method handle to
 * it). Only where every such class can be listed: the loader is the application class loader (its
 * class path, with the {@code Class-Path} of its jars' manifests) or a {@code URLClassLoader} of
 * files; no other loader of the JVM delegates to it (a child loader's classes could read it too);
 * and every class it has defined came from one of those files, or is a hidden class or a proxy
 * (their code is their host's, or reads no field); and their class files come to at most {@link
 * #budget} bytes. Otherwise, and where a file cannot be read, the field may be read. Reflection
 * ({@code Field.get}) is not seen.
 */
final class FieldReaders {
  /**
   * How many bytes of class files one look reads at most; beyond, the field may be read. The look
   * runs after the switch, on the agent's thread, and reading a class path of 300 jars (292 MB)
   * took 20 s on the loaded 2-core machine: a large program is judged as before. Not final: a
   * test's class path (its libraries' jars) is larger.
   */
  static long budget = 32L << 20;

  private FieldReaders() {}

  /** The look went over {@link #budget}. */
  private static final class OverBudget extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverBudget() {
      super(null, null, false, false);
    }
  }

  /**
   * Whether a class other than the field's own may read it. {@code instrumentation} lists the
   * loaded classes; {@code seen} keeps, per class, what one look found (a look reads every class
   * file once, for all the fields of that class).
   */
  static boolean mayBeRead(
      Field field, Instrumentation instrumentation, Map<Class<?>, Optional<Set<String>>> seen) {
    Optional<Set<String>> read =
        seen.computeIfAbsent(
            field.getDeclaringClass(), c -> Optional.ofNullable(readFields(c, instrumentation)));
    return read.isEmpty() || read.get().contains(field.getName());
  }

  /**
   * The static fields of {@code owner} that another class reads; null where that cannot be told.
   */
  static Set<String> readFields(Class<?> owner, Instrumentation instrumentation) {
    ClassLoader loader = owner.getClassLoader();
    if (loader == null) {
      return null;
    }
    Set<Path> entries = classPath(loader);
    if (entries == null || unlisted(loader, entries, instrumentation)) {
      return null;
    }
    String internal = owner.getName().replace('.', '/');
    byte[] ownerBytes = internal.getBytes(StandardCharsets.UTF_8);
    Set<String> out = new HashSet<>();
    long[] budget = {FieldReaders.budget};
    try {
      for (Path entry : entries) {
        readsIn(entry, internal, ownerBytes, out, budget);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  /** The files the loader loads classes from; null where they cannot all be listed. */
  private static Set<Path> classPath(ClassLoader loader) {
    Set<Path> out = new HashSet<>();
    if (loader == ClassLoader.getSystemClassLoader()) {
      String path = System.getProperty("java.class.path", "");
      for (String p : path.split(File.pathSeparator)) {
        if (!p.isEmpty()) {
          out.add(Path.of(p).toAbsolutePath().normalize());
        }
      }
    } else if (loader instanceof URLClassLoader urls) {
      for (URL url : urls.getURLs()) {
        if (!"file".equals(url.getProtocol())) {
          return null;
        }
        try {
          out.add(Path.of(url.toURI()).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
          return null;
        }
      }
    } else {
      return null;
    }
    Deque<Path> jars = new ArrayDeque<>(out);
    while (!jars.isEmpty()) {
      Path jar = jars.pop();
      if (!Files.isRegularFile(jar)) {
        continue;
      }
      try (JarFile file = new JarFile(jar.toFile())) {
        Manifest manifest = file.getManifest();
        String more =
            manifest == null
                ? null
                : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (more == null) {
          continue;
        }
        for (String ref : more.trim().split("\\s+")) {
          if (ref.isEmpty()) {
            continue;
          }
          URL url = new URL(jar.toUri().toURL(), ref);
          if (!"file".equals(url.getProtocol())) {
            return null;
          }
          Path p = Path.of(url.toURI()).toAbsolutePath().normalize();
          if (out.add(p)) {
            jars.add(p);
          }
        }
      } catch (IOException | URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  /**
   * Whether the JVM holds a class that can see the loader's classes and that the files do not list:
   * one of a loader that delegates to it, or one it defined from elsewhere (generated).
   */
  private static boolean unlisted(
      ClassLoader loader, Set<Path> entries, Instrumentation instrumentation) {
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      ClassLoader l = c.getClassLoader();
      if (l == null || c.isArray() || isOwnClass(c)) {
        continue;
      }
      if (l == loader) {
        if (!listed(c, entries)) {
          return true;
        }
        continue;
      }
      for (ClassLoader p = l.getParent(); p != null; p = p.getParent()) {
        if (p == loader) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The agent's own classes, what it defines next to patched classes, and the JDK's generated
   * reflection accessors (JDK 17 defines them in a loader of their own under the caller's): none
   * reads a field of the program.
   */
  private static boolean isOwnClass(Class<?> c) {
    String n = c.getName();
    return n.startsWith("io.jsplice.")
        || n.contains("$$jsplice$")
        || n.startsWith("jdk.internal.reflect.");
  }

  private static boolean listed(Class<?> c, Set<Path> entries) {
    if (c.isHidden() || Proxy.isProxyClass(c) || c.isPrimitive()) {
      return true;
    }
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return false;
    }
    try {
      return entries.contains(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void readsIn(
      Path entry, String owner, byte[] ownerBytes, Set<String> out, long[] budget)
      throws IOException {
    if (Files.isDirectory(entry)) {
      try (Stream<Path> files = Files.walk(entry)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.toString().endsWith(".class") && !isOwner(entry.relativize(f).toString(), owner)) {
            reads(read(Files.readAllBytes(f), budget), owner, ownerBytes, out);
          }
        }
      }
      return;
    }
    if (!Files.isRegularFile(entry)) {
      return; // a missing entry of a class path holds no class
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Enumeration<JarEntry> all = jar.entries();
      while (all.hasMoreElements()) {
        JarEntry e = all.nextElement();
        if (!e.getName().endsWith(".class") || isOwner(e.getName(), owner)) {
          continue;
        }
        if (e.getSize() > budget[0]) {
          throw new OverBudget();
        }
        try (InputStream in = jar.getInputStream(e)) {
          reads(read(in.readAllBytes(), budget), owner, ownerBytes, out);
        }
      }
    }
  }

  private static byte[] read(byte[] bytes, long[] budget) {
    budget[0] -= bytes.length;
    if (budget[0] < 0) {
      throw new OverBudget();
    }
    return bytes;
  }

  /** Whether the class file (a path relative to its root) is the field's own class. */
  private static boolean isOwner(String relative, String owner) {
    String name = relative.replace(File.separatorChar, '/');
    if (name.startsWith("META-INF/versions/")) {
      int slash = name.indexOf('/', "META-INF/versions/".length());
      name = slash < 0 ? name : name.substring(slash + 1);
    }
    return name.equals(owner + ".class");
  }

  /** Adds the names of the owner's static fields the class file reads. */
  private static void reads(byte[] bytes, String owner, byte[] ownerBytes, Set<String> out) {
    if (indexOf(bytes, ownerBytes) < 0) {
      return;
    }
    new ClassReader(bytes)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String m, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitFieldInsn(int opcode, String o, String n, String d) {
                    if (opcode == Opcodes.GETSTATIC && o.equals(owner)) {
                      out.add(n);
                    }
                  }

                  @Override
                  public void visitLdcInsn(Object value) {
                    note(value);
                  }

                  @Override
                  public void visitInvokeDynamicInsn(
                      String n, String d, Handle bootstrap, Object... args) {
                    for (Object a : args) {
                      note(a);
                    }
                  }

                  private void note(Object value) {
                    if (value instanceof Handle h
                        && h.getTag() == Opcodes.H_GETSTATIC
                        && h.getOwner().equals(owner)) {
                      out.add(h.getName());
                    }
                  }
                };
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
