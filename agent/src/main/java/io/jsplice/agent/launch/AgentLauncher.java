package io.jsplice.agent.launch;

import io.jsplice.bootstrap.RunningAgent;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.Enumeration;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent jar's entry point, for {@code -javaagent} ({@code premain}) and the attach API ({@code
 * agentmain}). It is a guest's doorstep, so it does as little as possible: it never lets a
 * throwable escape (under {@code -javaagent} that would abort the JVM), never calls {@code
 * System.exit}, and writes nothing to stdout or stderr unless the options say {@code log=stderr}.
 *
 * <p>What it does, in this order:
 *
 * <ol>
 *   <li>Loads every class of this package through the application class loader, which found this
 *       jar on the class path. This must come first: once the jar is on the boot class path, the
 *       parent-first application class loader would find the rest of this package there, splitting
 *       it across two loaders.
 *   <li>Appends this jar to the boot class path, so that {@code io.jsplice.bootstrap} resolves to
 *       one copy for every class loader. Nothing may touch that package before this step.
 *   <li>Asks {@link RunningAgent} to start the runtime, or, if one runs already (the jar loaded a
 *       second time), to hand it the new options.
 *   <li>Starting means: read the nested {@value #RUNTIME_JAR} into a {@link RuntimeLoader} and call
 *       {@code AgentRuntime.start(Instrumentation, String, boolean)} reflectively.
 * </ol>
 *
 * <p>A failure is recorded in the system property {@value #PROBLEM_PROPERTY}, which the CLI reads
 * through the attach API.
 */
public final class AgentLauncher {
  static final String RUNTIME_JAR = "jsplice/runtime.jar";
  static final String RUNTIME_CLASS = "io.jsplice.agent.runtime.AgentRuntime";
  private static final String OWN_PACKAGE = "io/jsplice/agent/launch/";
  private static final String BOOTSTRAP_MARKER = "io.jsplice.bootstrap.RunningAgent";
  // ControlProtocol.PROBLEM_PROPERTY; the model lives in the runtime jar, out of this class's
  // reach.
  private static final String PROBLEM_PROPERTY = "jsplice.agent.problem";

  private AgentLauncher() {}

  public static void premain(String options, Instrumentation instrumentation) {
    launch(options, instrumentation, true);
  }

  public static void agentmain(String options, Instrumentation instrumentation) {
    launch(options, instrumentation, false);
  }

  private static void launch(String options, Instrumentation instrumentation, boolean atStartup) {
    try {
      URL jarUrl = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
      try (JarFile jar = new JarFile(new File(jarUrl.toURI()))) {
        loadOwnClasses(jar);
        if (!bootstrapVisible()) {
          instrumentation.appendToBootstrapClassLoaderSearch(jar);
        }
        RunningAgent.startOrReload(
            options, first -> startRuntime(jar, jarUrl, instrumentation, first, atStartup));
      }
    } catch (Throwable failure) {
      report(options, failure);
    }
  }

  private static void loadOwnClasses(JarFile jar) throws ClassNotFoundException {
    ClassLoader loader = AgentLauncher.class.getClassLoader();
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      String name = entries.nextElement().getName();
      if (name.startsWith(OWN_PACKAGE) && name.endsWith(".class")) {
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        Class.forName(className, false, loader);
      }
    }
  }

  private static boolean bootstrapVisible() {
    try {
      Class.forName(BOOTSTRAP_MARKER, false, null);
      return true;
    } catch (ClassNotFoundException notYet) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Consumer<String> startRuntime(
      JarFile jar, URL jarUrl, Instrumentation instrumentation, String options, boolean atStartup) {
    try {
      JarEntry entry = jar.getJarEntry(RUNTIME_JAR);
      if (entry == null) {
        throw new IllegalStateException(
            jarUrl + " has no " + RUNTIME_JAR + "; the agent jar is broken");
      }
      byte[] runtimeJar;
      try (InputStream in = jar.getInputStream(entry)) {
        runtimeJar = in.readAllBytes();
      }
      ClassLoader loader = new RuntimeLoader(runtimeJar, jarUrl);
      return (Consumer<String>)
          Class.forName(RUNTIME_CLASS, true, loader)
              .getMethod("start", Instrumentation.class, String.class, boolean.class)
              .invoke(null, instrumentation, options, atStartup);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void report(String options, Throwable failure) {
    try {
      String line = "the jsplice agent failed to start: " + failure;
      System.setProperty(PROBLEM_PROPERTY, line);
      if (options != null && ("," + options.replace(" ", "") + ",").contains(",log=stderr,")) {
        System.err.println(line);
        failure.printStackTrace();
      }
    } catch (Throwable lastResort) {
      // Reporting failed too (a security manager, a closed stderr). Letting it escape would abort
      // the JVM under -javaagent; the agent stays absent, which the CLI reports.
    }
  }
}
