package io.jsplice.agent.heap;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The heap as JVMTI shows it, through the agent's native library {@code libjsplice-heap.so}.
 *
 * <p>The library travels inside the agent, built for each platform the build knows; at first use it
 * is written to a fresh directory only the JVM's user can enter (mode 0700), loaded with {@link
 * System#load} (its {@code JNI_OnLoad} takes a JVMTI environment and the capability to tag objects)
 * and deleted again: the JVM keeps the mapping, nothing is left on disk. Nothing of this happens
 * unless an update has work on existing objects. Thread-safe: the library is loaded once.
 */
public final class JvmtiHeap implements Heap {
  private static final Object LOCK = new Object();
  private static Heap loaded; // guarded by LOCK

  private JvmtiHeap() {}

  /** The heap of this JVM: walkable, or {@link Heap#unavailable} with the reason. */
  public static Heap get() {
    synchronized (LOCK) {
      if (loaded == null) {
        loaded = load();
      }
      return loaded;
    }
  }

  /** Whether the native library was loaded (tests check that an update without work never does). */
  public static boolean isLoaded() {
    synchronized (LOCK) {
      return loaded != null && loaded.available();
    }
  }

  /**
   * The library's path inside the agent for this platform: the build names the directory after the
   * building JVM's {@code os.arch}, which a JVM on the same platform reports too.
   */
  static String resourceFor(String os, String arch) {
    String platform = os.toLowerCase(Locale.ROOT).replace(' ', '-');
    return "io/jsplice/agent/heap/native/" + platform + "-" + arch + "/libjsplice-heap.so";
  }

  private static Heap load() {
    String resource =
        resourceFor(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"));
    try (InputStream in = JvmtiHeap.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Heap.unavailable(
            "this agent has no native heap library for "
                + System.getProperty("os.name")
                + "/"
                + System.getProperty("os.arch")
                + " ("
                + resource
                + ")");
      }
      Path dir =
          Files.createTempDirectory(
              "jsplice-native-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path file = dir.resolve("libjsplice-heap.so");
      try {
        Files.write(file, in.readAllBytes());
        System.load(file.toString());
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return Heap.unavailable("cannot write the native heap library: " + e.getMessage());
    } catch (UnsatisfiedLinkError | SecurityException e) {
      return Heap.unavailable("cannot load the native heap library: " + e.getMessage());
    }
    String problem;
    try {
      problem = problem0();
    } catch (UnsatisfiedLinkError e) {
      return Heap.unavailable("the native heap library does not link: " + e.getMessage());
    }
    return problem == null ? new JvmtiHeap() : Heap.unavailable(problem);
  }

  @Override
  public List<Object> instancesOf(List<Class<?>> classes) throws HeapUnavailableException {
    List<Class<?>> roots = new ArrayList<>();
    for (Class<?> c : new LinkedHashSet<>(classes)) {
      // A class whose superclass (or interface) is walked too comes with it.
      if (classes.stream().noneMatch(other -> other != c && other.isAssignableFrom(c))) {
        roots.add(c);
      }
    }
    return walk(roots, false);
  }

  @Override
  public List<Object> reachableInstancesOf(List<Class<?>> classes) throws HeapUnavailableException {
    List<Class<?>> concrete = new ArrayList<>();
    for (Class<?> c : new LinkedHashSet<>(classes)) {
      if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
        concrete.add(c);
      }
    }
    return walk(concrete, true);
  }

  private static List<Object> walk(List<Class<?>> classes, boolean reachable)
      throws HeapUnavailableException {
    List<Object> out = new ArrayList<>();
    for (Class<?> type : classes) {
      try {
        out.addAll(Arrays.asList(instancesOf0(type, reachable)));
      } catch (IllegalStateException e) {
        throw new HeapUnavailableException(e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public String problem() {
    return null;
  }

  private static native String problem0();

  private static native Object[] instancesOf0(Class<?> type, boolean reachable);
}
