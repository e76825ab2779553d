package io.jsplice.agent.restart;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's loaded classes at one moment, grouped by where their code came from: every
 * class with a code source, except the JDK's (boot and platform loaders), hidden and array classes,
 * and jsplice's own (the agent runtime's loader, and the bootstrap classes the agent jar puts on
 * the system class path).
 *
 * <p>Immutable after {@link #snapshot}; the classes are the JVM's, read on the calling thread.
 */
final class LoadedClasses {
  private final Map<String, List<Class<?>>> bySource;
  private final Map<String, List<Class<?>>> byName;
  private final int withoutCodeSource;

  private LoadedClasses(
      Map<String, List<Class<?>>> bySource,
      Map<String, List<Class<?>>> byName,
      int withoutCodeSource) {
    this.bySource = bySource;
    this.byName = byName;
    this.withoutCodeSource = withoutCodeSource;
  }

  static LoadedClasses snapshot(Instrumentation instrumentation) {
    ClassLoader ours = LoadedClasses.class.getClassLoader();
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    String agentJar = location(LoadedClasses.class.getProtectionDomain());
    Map<String, List<Class<?>>> bySource = new LinkedHashMap<>();
    Map<String, List<Class<?>>> byName = new LinkedHashMap<>();
    int withoutCodeSource = 0;
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      ClassLoader loader = type.getClassLoader();
      if (loader == null
          || loader == platform
          || loader == ours
          || type.isArray()
          || type.isPrimitive()
          || type.isHidden()) {
        continue;
      }
      String location = location(type.getProtectionDomain());
      if (location == null) {
        withoutCodeSource++;
        continue;
      }
      if (location.equals(agentJar)) {
        continue;
      }
      bySource.computeIfAbsent(location, l -> new ArrayList<>()).add(type);
      byName.computeIfAbsent(type.getName(), n -> new ArrayList<>()).add(type);
    }
    return new LoadedClasses(bySource, byName, withoutCodeSource);
  }

  /** Classes by the URL of their code source, in the order the JVM listed them. */
  Map<String, List<Class<?>>> bySource() {
    return bySource;
  }

  /** The loaded classes of that binary name, in every loader; empty if none. */
  List<Class<?>> named(String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** Classes defined without a code source (generated at run time); nothing to compare. */
  int withoutCodeSource() {
    return withoutCodeSource;
  }

  /** The URL of a class's code source as a string; null if it has none. */
  static String location(ProtectionDomain domain) {
    if (domain == null) {
      return null;
    }
    CodeSource source = domain.getCodeSource();
    URL url = source == null ? null : source.getLocation();
    return url == null ? null : url.toString();
  }
}
