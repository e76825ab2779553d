package io.jsplice.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link Update} with its class bytes: the unit that is signed, shipped and applied.
 *
 * <p>Files are keyed by their path inside the update, e.g. {@code post/org/example/Foo.class}. For
 * every class the update modifies or adds there is a {@code post/} entry (the fixed class as built)
 * and an {@code install/} entry (the class as jsplice installs it in a running JVM: the same code,
 * rewritten where needed so that a stock JVM can redefine it).
 *
 * <p>Immutable. The byte arrays are shared, not copied: callers must not modify them.
 */
public final class UpdatePackage {
  public static final String POST = "post/";
  public static final String INSTALL = "install/";

  /** Classes compiled from the update's hook sources, defined beside the patched classes. */
  public static final String HOOK = "hook/";

  private final Update update;
  private final Map<String, byte[]> files;

  public UpdatePackage(Update update, Map<String, byte[]> files) {
    this.update = Objects.requireNonNull(update, "update");
    this.files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  public Update update() {
    return update;
  }

  /** All files, in path order. */
  public Map<String, byte[]> files() {
    return files;
  }

  public Optional<byte[]> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The fixed class as built; empty for a removed class. */
  public Optional<byte[]> postBytes(String className) {
    return file(POST + classPath(className));
  }

  /** The class as installed in a running JVM; empty for a removed class. */
  public Optional<byte[]> installBytes(String className) {
    return file(INSTALL + classPath(className));
  }

  public static String classPath(String className) {
    return className.replace('.', '/') + ".class";
  }
}
