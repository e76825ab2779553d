package io.jsplice.agent.launch;

import io.jsplice.bootstrap.RunningAgent;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
 *   <li>Asks {@link RunningAgent} to start the runtime, or, if one runs already (the jar loaded a
 *       second time), to hand it the new options. The JVM put this jar on the system class path
 *       (for {@code -javaagent} and for attach alike), so {@code io.jsplice.bootstrap} has one copy
 *       there that application class loaders reach by delegation. The jar is deliberately not
 *       appended to the boot class path: HotSpot would then restrict class data sharing to boot
 *       classes and print a warning into the application's output.
 *   <li>Starting means: make a {@link RuntimeLoader} over the runtime's entries in the agent jar,
 *       initialize the runtime's entry class ({@value #ENTRY_CLASS}) in it, whose static
 *       initializer hands the loader an entry object of a JDK type ({@link RuntimeLoader#accept}),
 *       and call that entry, which calls {@code AgentRuntime.start}. Not reflectively: on JDK 18+ a
 *       reflective call spins some sixteen lambda-form classes in the JVM (JEP 416). The runtime
 *       defines only the classes it uses, as it uses them.
 * </ol>
 *
 * <p>A failure is recorded in the system property {@value #PROBLEM_PROPERTY}, which the CLI reads
 * through the attach API.
 */
public final class AgentLauncher {
  /**
   * The runtime's entry: a {@code Function<Object[], Consumer<String>>} that calls {@code
   * AgentRuntime.start(Instrumentation, String, boolean, Supplier<String>)} with its arguments.
   */
  static final String ENTRY_CLASS = "io.jsplice.agent.runtime.LauncherEntry";

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
      RunningAgent.startOrReload(options, new Start(jarUrl, instrumentation, atStartup));
    } catch (Throwable failure) {
      report(options, failure);
    }
  }

  private static Consumer<String> startRuntime(
      URL jarUrl, Instrumentation instrumentation, String options, boolean atStartup) {
    try {
      File file = new File(jarUrl.toURI());
      // Before it is opened: a jar written into from then on is refused, not read.
      AgentJarIdentity identity = AgentJarIdentity.of(file.toPath());
      // Stays open: the runtime's loader reads its classes from it as the runtime needs them.
      JarFile jar = new JarFile(file, false);
      if (!RuntimeLoader.holds(jar, ENTRY_CLASS)) {
        jar.close();
        throw new IllegalStateException(
            jarUrl + " has no " + RuntimeLoader.PREFIX + "; the agent jar is broken");
      }
      RuntimeLoader loader = new RuntimeLoader(jar, identity, jarUrl);
      // Its static initializer hands the loader the runtime's entry (see RuntimeLoader#accept).
      Class.forName(ENTRY_CLASS, true, loader);
      Function<Object[], Consumer<String>> entry = loader.entry();
      if (entry == null) {
        throw new IllegalStateException(
            ENTRY_CLASS + " in " + jarUrl + " handed over no entry; the agent jar is broken");
      }
      // AgentRuntime.start's arguments, in its order.
      return entry.apply(
          new Object[] {instrumentation, options, atStartup, new CodeChanged(identity)});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // Not lambdas: a JVM's first lambda costs it milliseconds of CPU (the lambda machinery), which
  // premain would spend on the main thread before the application's main.

  /** Starts the runtime with the options of the first load. */
  private static final class Start implements Function<String, Consumer<String>> {
    private final URL jarUrl;
    private final Instrumentation instrumentation;
    private final boolean atStartup;

    Start(URL jarUrl, Instrumentation instrumentation, boolean atStartup) {
      this.jarUrl = jarUrl;
      this.instrumentation = instrumentation;
      this.atStartup = atStartup;
    }

    @Override
    public Consumer<String> apply(String options) {
      return startRuntime(jarUrl, instrumentation, options, atStartup);
    }
  }

  /** {@link AgentJarIdentity#overwrittenInPlace}. */
  private static final class CodeChanged implements Supplier<String> {
    private final AgentJarIdentity identity;

    CodeChanged(AgentJarIdentity identity) {
      this.identity = identity;
    }

    @Override
    public String get() {
      return identity.overwrittenInPlace();
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
