package io.jsplice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The records a module's main classes declare, for the tests that check each has what the build
 * writes for it (its JSON form): found in the class directory, not listed by hand, so that a record
 * added later is checked too.
 */
public final class ModuleRecords {
  private ModuleRecords() {}

  /**
   * The records in the class directory that holds {@code anchor} (a module's {@code
   * target/classes}) that another class of their package can name: neither private nor nested in a
   * private class, nor generic. Loaded without initialization through {@code anchor}'s loader.
   *
   * @throws IllegalStateException if {@code anchor} was not loaded from a directory (a jar)
   */
  public static List<Class<?>> reachable(Class<?> anchor) {
    Path root;
    try {
      root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(anchor + " was not loaded from a class directory: " + root);
    }
    List<Class<?>> records = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(file).toString();
        if (!relative.endsWith(".class") || relative.endsWith("module-info.class")) {
          continue;
        }
        String name = relative.substring(0, relative.length() - 6).replace('/', '.');
        Class<?> type = Class.forName(name, false, anchor.getClassLoader());
        if (type.isRecord() && nameable(type) && type.getTypeParameters().length == 0) {
          records.add(type);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return records;
  }

  private static boolean nameable(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (Modifier.isPrivate(c.getModifiers()) || c.isLocalClass() || c.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }
}
