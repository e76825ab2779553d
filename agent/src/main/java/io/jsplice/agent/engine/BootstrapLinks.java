package io.jsplice.agent.engine;

import io.jsplice.bootstrap.Patched;
import io.jsplice.model.UpdatePackage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Which of jsplice's bootstrap classes ({@code io.jsplice.bootstrap}: shadow fields, the linker) an
 * update's installed code links against, and whether a class loader sees them.
 *
 * <p>The agent puts them on the system class path, so only loaders that delegate to the system
 * class loader resolve them. A loader that does not (an isolated {@code URLClassLoader}, an OSGi
 * bundle, a plugin loader with the platform loader as parent) would run such code into {@code
 * NoClassDefFoundError}, in the application's own calls. The engine therefore refuses to switch
 * such code there, and the transformer leaves a class that loads there later unpatched. The {@link
 * Patched} marker does not count: the JVM ignores an annotation whose type is missing, and {@link
 * PatchedMarkers} reads it anyway.
 *
 * <p>Thread-safe. An update's entry is a function of its content, so it is never removed.
 */
final class BootstrapLinks {
  private static final String PACKAGE = Patched.class.getPackageName().replace('.', '/') + "/";
  private static final String MARKER = "L" + Patched.class.getName().replace('.', '/') + ";";
  private static final int CONSTANT_UTF8 = 1;

  private final Map<String, Set<String>> byUpdate = new ConcurrentHashMap<>();

  /** Records and returns the bootstrap classes (binary names) {@code update}'s code links to. */
  Set<String> register(UpdatePackage update) {
    Set<String> names = new TreeSet<>();
    for (Map.Entry<String, byte[]> file : update.files().entrySet()) {
      if (file.getKey().startsWith(UpdatePackage.INSTALL)) {
        names.addAll(referencedBy(file.getValue()));
      }
    }
    Set<String> linked = Collections.unmodifiableSet(names); // sorted: messages list them in order
    byUpdate.put(update.update().id(), linked);
    return linked;
  }

  /** The bootstrap classes an applied update's code links to; empty if unknown. */
  Set<String> of(String updateId) {
    return byUpdate.getOrDefault(updateId, Set.of());
  }

  /** Whether {@code loader} resolves each of {@code names} to the agent's own class. */
  static boolean visibleFrom(ClassLoader loader, Set<String> names) {
    for (String name : names) {
      try {
        if (loader == null
            || Class.forName(name, false, loader)
                != Class.forName(name, false, Patched.class.getClassLoader())) {
          return false;
        }
      } catch (ClassNotFoundException | LinkageError notVisible) {
        return false;
      }
    }
    return true;
  }

  /** The bootstrap classes named in a class file's constant pool, except as the marker's type. */
  static Set<String> referencedBy(byte[] classFile) {
    Set<String> names = new TreeSet<>();
    ClassReader reader = new ClassReader(classFile);
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i); // just past the entry's tag; 0 for the gap after a long
      if (offset == 0 || classFile[offset - 1] != CONSTANT_UTF8) {
        continue;
      }
      // Modified UTF-8 keeps ASCII as it is, and the package name is ASCII.
      String text =
          new String(
              classFile, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.ISO_8859_1);
      if (text.equals(MARKER)) {
        continue;
      }
      addReferences(text, names);
    }
    return names;
  }

  /**
   * Adds each {@code PACKAGE} followed by one or more of {@code [A-Za-z0-9_$]} in {@code text} (a
   * class name there), scanned by hand: a regular expression would load its 30-odd classes into the
   * target when the agent is attached.
   */
  static void addReferences(String text, Set<String> names) {
    int from = 0;
    while ((from = text.indexOf(PACKAGE, from)) >= 0) {
      int start = from + PACKAGE.length();
      int end = start;
      while (end < text.length() && isNamePart(text.charAt(end))) {
        end++;
      }
      if (end > start) {
        names.add((PACKAGE + text.substring(start, end)).replace('/', '.'));
      }
      from = end > start ? end : start;
    }
  }

  private static boolean isNamePart(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '$';
  }
}
