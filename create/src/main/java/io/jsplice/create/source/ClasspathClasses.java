package io.jsplice.create.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;

/**
 * The class files of a compile classpath, looked up by internal name as the JVM would (first entry
 * wins). Only what a source patch needs to know about the original bytecode: a class's bytes, and
 * which classes of the same jar extend or implement it. Versioned entries of multi-release jars are
 * not consulted.
 *
 * <p>Not thread-safe; holds the jars open until {@link #close()}.
 */
final class ClasspathClasses implements Closeable {
  private final List<Entry> entries = new ArrayList<>();

  private ClasspathClasses() {}

  /** Opens the jars among {@code classpath}; missing entries are skipped, as javac does. */
  static ClasspathClasses open(List<Path> classpath) throws IOException {
    ClasspathClasses classes = new ClasspathClasses();
    try {
      for (Path path : classpath) {
        if (Files.isDirectory(path)) {
          classes.entries.add(new Directory(path));
        } else if (Files.isRegularFile(path)) {
          classes.entries.add(new Jar(new ZipFile(path.toFile())));
        }
      }
      return classes;
    } catch (IOException e) {
      classes.close();
      throw e;
    }
  }

  /** The class file of {@code internalName}; null when no entry has it. */
  byte[] find(String internalName) throws IOException {
    for (Entry entry : entries) {
      byte[] bytes = entry.read(internalName + ".class");
      if (bytes != null) {
        return bytes;
      }
    }
    return null;
  }

  /**
   * Every class of the classpath entry that defines {@code internalName} which extends or
   * implements it, directly or not. A library's subclasses live in the library, so other entries
   * are not searched.
   */
  Set<String> subtypesOf(String internalName) throws IOException {
    for (Entry entry : entries) {
      if (entry.read(internalName + ".class") != null) {
        Map<String, List<String>> subtypes = entry.directSubtypes();
        Set<String> found = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(internalName));
        while (!pending.isEmpty()) {
          for (String sub : subtypes.getOrDefault(pending.pop(), List.of())) {
            if (found.add(sub)) {
              pending.push(sub);
            }
          }
        }
        return found;
      }
    }
    return Set.of();
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Entry entry : entries) {
      try {
        entry.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private abstract static class Entry implements Closeable {
    private Map<String, List<String>> directSubtypes;

    /** The resource's bytes; null when absent. */
    abstract byte[] read(String resource) throws IOException;

    abstract List<String> classResources() throws IOException;

    /** Supertype to the classes that name it as super class or interface; computed once. */
    Map<String, List<String>> directSubtypes() throws IOException {
      if (directSubtypes == null) {
        Map<String, List<String>> subtypes = new HashMap<>();
        for (String resource : classResources()) {
          ClassReader reader;
          try {
            reader = new ClassReader(read(resource));
          } catch (RuntimeException notAClass) {
            continue;
          }
          String name = reader.getClassName();
          if (reader.getSuperName() != null) {
            subtypes.computeIfAbsent(reader.getSuperName(), k -> new ArrayList<>()).add(name);
          }
          for (String face : reader.getInterfaces()) {
            subtypes.computeIfAbsent(face, k -> new ArrayList<>()).add(name);
          }
        }
        directSubtypes = subtypes;
      }
      return directSubtypes;
    }

    @Override
    public void close() throws IOException {}
  }

  private static final class Jar extends Entry {
    private final ZipFile zip;

    Jar(ZipFile zip) {
      this.zip = zip;
    }

    @Override
    byte[] read(String resource) throws IOException {
      ZipEntry entry = zip.getEntry(resource);
      if (entry == null) {
        return null;
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }

    @Override
    List<String> classResources() {
      return zip.stream()
          .map(ZipEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .toList();
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }

  private static final class Directory extends Entry {
    private final Path root;

    Directory(Path root) {
      this.root = root;
    }

    @Override
    byte[] read(String resource) throws IOException {
      Path file = root.resolve(resource);
      return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    List<String> classResources() throws IOException {
      try (Stream<Path> files = Files.walk(root)) {
        return files
            .filter(f -> f.toString().endsWith(".class"))
            .map(f -> root.relativize(f).toString().replace('\\', '/'))
            .toList();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }
}
